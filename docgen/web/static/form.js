/* docgen web form: add/remove rows, keep the draft in localStorage. Vanilla, no CDN.
 * Input names are JSON paths (members[2].full_name); a new row copies the <template>
 * of its list with "__i__" replaced by a fresh index. The server renumbers rows.
 * setup(form) runs for the page's form, and again (window.docgenForm.setup) for the
 * form that form-submit.js puts in its place when the server answers with errors. */
(function () {
  "use strict";

  function setup(form) {
    var storageKey = "docgen:draft:" + form.getAttribute("data-doc-type");
    var statusBox = document.querySelector("[data-draft-status]");

    function rowsOf(repeat) { return repeat.querySelector("[data-rows]"); }
    function rowCount(repeat) { return rowsOf(repeat).querySelectorAll(":scope > [data-row]").length; }

    function nextIndex(repeat) {
      var max = -1;
      rowsOf(repeat).querySelectorAll(":scope > [data-row]").forEach(function (row) {
        var i = parseInt(row.getAttribute("data-index"), 10);
        if (i > max) max = i;
      });
      return max + 1;
    }

    /* Row numbers, labels and the add/remove buttons' state after any change. */
    function refresh(repeat) {
      var min = parseInt(repeat.getAttribute("data-min") || "0", 10);
      var max = parseInt(repeat.getAttribute("data-max") || "0", 10);
      var rows = rowsOf(repeat).querySelectorAll(":scope > [data-row]");
      rows.forEach(function (row, n) {
        var number = String(n + 1);
        var badge = row.querySelector("[data-row-number]");
        if (badge) badge.textContent = number;
        var remove = row.querySelector("[data-remove-row]");
        if (remove) {
          remove.setAttribute("aria-label", "Xóa dòng " + number + " — " + remove.getAttribute("data-label"));
          remove.hidden = rows.length <= Math.max(min, 1);
        }
        var hidden = row.querySelector(":scope > .row-body > .field label.visually-hidden");
        if (hidden) hidden.textContent = remove.getAttribute("data-label") + ", dòng " + number;
      });
      var add = repeat.querySelector(":scope > [data-add-row]");
      if (add) add.hidden = max > 0 && rows.length >= max;
    }

    function addRow(repeat, index) {
      var template = repeat.querySelector(":scope > template[data-row-template]");
      var i = index === undefined ? nextIndex(repeat) : index;
      var html = template.innerHTML.split("__i__").join(String(i));
      rowsOf(repeat).insertAdjacentHTML("beforeend", html);
      refresh(repeat);
      return rowsOf(repeat).lastElementChild;
    }

    function removeRow(row) {
      var repeat = row.closest("[data-repeat]");
      var next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      refresh(repeat);
      var focusTarget = next ? next.querySelector("input, select, textarea") : repeat.querySelector("[data-add-row]");
      if (focusTarget) focusTarget.focus();
    }

    /* --- draft ------------------------------------------------------------------------ */

    function values() {
      var out = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name && el.name.indexOf("__i__") < 0 && el.type !== "submit" && el.type !== "button") {
          out[el.name] = el.type === "checkbox" ? (el.checked ? el.value : "") : el.value;
        }
      });
      return out;
    }

    function save() {
      try {
        localStorage.setItem(storageKey, JSON.stringify({ saved: Date.now(), values: values() }));
      } catch (e) { /* storage full or disabled: the form still works */ }
    }

    function say(text) { if (statusBox) statusBox.textContent = text; }

    function restore(saved) {
      var vals = saved.values || {};
      form.querySelectorAll("[data-repeat]").forEach(function (repeat) {
        var prefix = repeat.getAttribute("data-repeat") + "[";
        var seen = {};
        Object.keys(vals).forEach(function (name) {
          if (name.indexOf(prefix) === 0) seen[parseInt(name.slice(prefix.length), 10)] = true;
        });
        var indices = Object.keys(seen).map(Number).sort(function (a, b) { return a - b; });
        if (!indices.length) return;
        rowsOf(repeat).innerHTML = "";
        indices.forEach(function (i) { addRow(repeat, i); });
      });
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || !Object.prototype.hasOwnProperty.call(vals, el.name)) return;
        if (el.type === "checkbox") el.checked = vals[el.name] === el.value;
        else el.value = vals[el.name];
      });
      var when = new Date(saved.saved || Date.now());
      say("Đã khôi phục bản nháp lưu lúc " + when.toLocaleTimeString("vi-VN") + " " +
          when.toLocaleDateString("vi-VN") + ".");
    }

    var timer = null;
    function saveSoon() { clearTimeout(timer); timer = setTimeout(save, 250); }

    /* --- date echo: the line as it will print, from the server's own rules ------------- */
    /* A date is typed dd/mm/yyyy (a text input, not the browser's picker); beside it the
     * server says what it reads: "ngày 05 tháng 11 năm 2021", or why it cannot
     * ("'31/02/2017' là ngày không tồn tại…"). GET /forms/date-line, the submit's rules. */

    function echo(input) {
      var out = document.getElementById(input.id + "-echo");
      if (!out || !window.fetch) return;
      var value = input.value;
      if (!value.trim()) { out.textContent = ""; out.classList.remove("date-echo-error"); return; }
      fetch(input.getAttribute("data-date-echo") + "&value=" + encodeURIComponent(value),
            { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : {}; })
        .then(function (data) {
          if (input.value !== value) return;  // typed on meanwhile: a later answer follows
          out.textContent = data.line || data.message || "";
          out.classList.toggle("date-echo-error", Boolean(data.code));
        })
        .catch(function () { /* offline: the submit still checks */ });
    }

    function echoSoon(input) {
      clearTimeout(input.docgenEcho);
      input.docgenEcho = setTimeout(function () { echo(input); }, 150);
    }

    form.addEventListener("input", function (event) {
      if (event.target.matches && event.target.matches("[data-date-echo]")) echoSoon(event.target);
    });

    form.addEventListener("input", saveSoon);
    form.addEventListener("change", save);
    form.addEventListener("submit", save);

    form.addEventListener("click", function (event) {
      var add = event.target.closest("[data-add-row]");
      if (add) {
        var row = addRow(add.closest("[data-repeat]"));
        var first = row && row.querySelector("input, select, textarea");
        if (first) first.focus();
        save();
        return;
      }
      var remove = event.target.closest("[data-remove-row]");
      if (remove) { removeRow(remove.closest("[data-row]")); save(); return; }
      if (event.target.closest("[data-load-example]")) {
        var current = values();
        var typed = Object.keys(current).some(function (k) { return current[k] && k.charAt(0) !== "_"; });  // _format, _register: choices, not typing
        if (typed && !window.confirm("Thay nội dung đang nhập bằng mẫu ví dụ?")) event.preventDefault();
        return;
      }
      if (event.target.closest("[data-clear-draft]")) {
        if (!window.confirm("Xóa toàn bộ nội dung đã nhập trong biểu mẫu này?")) return;
        try { localStorage.removeItem(storageKey); } catch (e) { /* ignore */ }
        window.location.href = form.getAttribute("action");
      }
    });

    form.querySelectorAll("[data-repeat]").forEach(refresh);

    // A blank page takes the saved draft; a page the server filled (example, or the
    // answer to a submit with errors) is what the clerk sees now, so it becomes the draft.
    var source = form.getAttribute("data-source");
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(storageKey) || "null"); } catch (e) { saved = null; }
    if (source === "blank" && saved && saved.values) {
      restore(saved);
      form.querySelectorAll("[data-date-echo]").forEach(echo);
    } else if (source !== "blank") {
      save();
    }

    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  }

  window.docgenForm = { setup: setup };
  var first = document.querySelector("form[data-docgen-form]");
  if (first) setup(first);
})();
