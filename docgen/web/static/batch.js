// Follows a batch job: polls its status each second and updates the page.
// Without this script the page refreshes itself (<noscript> meta refresh).
(function () {
  "use strict";
  var section = document.getElementById("job");
  if (!section) { return; }
  var url = section.getAttribute("data-status-url");
  var final = { done: true, failed: true, cancelled: true };

  function text(id, value) { document.getElementById(id).textContent = value; }

  function show(job) {
    var rows = job.rows;
    var bar = document.getElementById("bar");
    bar.max = rows.total || 1;
    bar.value = rows.done;
    text("state", job.state_title);
    text("counts", rows.done + "/" + rows.total + " dòng · " + rows.ok + " văn bản · " +
         rows.failed + " dòng lỗi" + (job.rate ? " · " + job.rate + " dòng/giây" : ""));
    text("message", job.message || "");
    var result = document.getElementById("result");
    if (job.links.result) { result.href = job.links.result; result.hidden = false; }
    document.getElementById("errors").hidden = !job.error_count;
    var table = document.getElementById("error-table");
    var body = table.querySelector("tbody");
    body.textContent = "";
    job.errors.slice(0, 20).forEach(function (e) {
      var tr = document.createElement("tr");
      [String(e.row), (e.column + " " + e.header).trim(), e.message].forEach(function (v) {
        var td = document.createElement("td");
        td.textContent = v;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.hidden = job.errors.length === 0;
    var cancel = document.getElementById("cancel");
    if (cancel && final[job.state]) { cancel.hidden = true; }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (job) {
        show(job);
        if (!final[job.state]) { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }

  if (!final[section.getAttribute("data-state")]) { setTimeout(poll, 500); }
})();
