/* docgen pages: a file the server would refuse for its size is refused before it is sent.
 *
 * A post over DOCGEN_BATCH_MAX_UPLOAD_BYTES is answered 413 before the page can read its
 * fields, so what the clerk typed next to the files would come back empty. A form with
 * data-max-bytes (the whole post) and file inputs with data-max-file-bytes (each file)
 * is checked on submit: over a limit, nothing is sent, the form keeps everything and a
 * message under the files says which file and which limit. Vanilla; without it the
 * server's 413 still says the limit.
 */
(function () {
  "use strict";
  var MB = 1024 * 1024;

  function size(bytes) {
    return (bytes / MB).toLocaleString("vi-VN", {maximumFractionDigits: 1}) + " MB";
  }

  function problemsOf(form) {
    var whole = Number(form.getAttribute("data-max-bytes")) || 0;
    var total = 0;
    var problems = [];
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      var each = Number(input.getAttribute("data-max-file-bytes")) || 0;
      Array.prototype.forEach.call(input.files || [], function (file) {
        total += file.size;
        if (each && file.size > each) {
          problems.push("Tệp “" + file.name + "” nặng " + size(file.size) +
                        ", quá giới hạn " + size(each) + " mỗi tệp.");
        }
      });
    });
    if (whole && total > whole) {
      problems.push("Các tệp đã chọn nặng " + size(total) + ", quá giới hạn " + size(whole) +
                    " một lần gửi: gửi bớt tệp lần này, các tệp còn lại gửi ở lần sau.");
    }
    return problems;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-max-bytes")) return;
    var box = form.querySelector("[data-upload-problem]");
    var problems = problemsOf(form);
    if (box) box.hidden = problems.length === 0;
    if (!problems.length) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("data-upload-problem", "");
      box.setAttribute("role", "alert");
      box.className = "upload-problem";
      var files = form.querySelectorAll("input[type=file]");
      var last = files[files.length - 1];
      last.parentNode.insertBefore(box, last.nextSibling);
    }
    box.textContent = "";
    problems.forEach(function (text) {
      var p = document.createElement("p");
      p.className = "field-error";
      p.textContent = "⚠ " + text + " ";
      var code = document.createElement("span");
      code.className = "problem-code";
      code.textContent = "[upload_too_large]";
      p.appendChild(code);
      box.appendChild(p);
    });
  }, true);
})();
