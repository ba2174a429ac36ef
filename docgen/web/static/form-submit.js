/* docgen web form: submit through fetch() so the page can say what happened. Vanilla, no CDN.
 *
 * Without this script the form still works: a plain POST answers the file (and "Xem trước"
 * opens the PNG in a new tab). With it:
 *  - "Tạo văn bản" posts FormData(form) (every field, hidden ones too), saves the file it
 *    gets (an object URL and a temporary <a download>), clears the stale errors and says
 *    what was made: the file name, the number and symbol issued, the warnings;
 *  - the button is busy (disabled, "Đang tạo…") while the server renders, and a second
 *    submit meanwhile does nothing, so one click issues one register number;
 *  - after a number is issued the "Cấp số" box is unticked, so the next click takes none;
 *  - a 422 answer is the form page with the errors under their fields: it takes the place
 *    of the form, as the plain POST would, and form.js sets it up again;
 *  - "Xem trước" posts the same fields to /forms/<type>/preview?page=N and shows the PNG.
 */
(function () {
  "use strict";
  if (!window.fetch || !window.FormData || !window.URL || !URL.createObjectURL) return;

  var ACCEPT = "application/json;q=0.9, text/html;q=0.8, */*;q=0.5";
  var main = document.querySelector("[data-form-main]");
  var result = document.querySelector("[data-result]");
  var preview = document.querySelector("[data-preview]");
  if (!main || !result) return;
  var busy = false;
  var previewUrl = null;
  var previewPage = 1;
  var previewPages = 0;

  function currentForm() { return main.querySelector("form[data-docgen-form]"); }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* --- the button's label follows the format ----------------------------------------- */

  function chosenFormat(form) {
    var select = form.querySelector("[name='_format']");
    return select ? select.value : "docx";
  }
  function idleLabel(form) { return "Tạo văn bản (." + chosenFormat(form) + ")"; }

  document.addEventListener("change", function (event) {
    var form = currentForm();
    if (!form || event.target.name !== "_format" || busy) return;
    var button = form.querySelector("[data-submit]");
    if (button) button.textContent = idleLabel(form);
  });

  function setBusy(form, on, what) {
    busy = on;
    form.setAttribute("aria-busy", on ? "true" : "false");
    var button = form.querySelector("[data-submit]");
    var previewButton = form.querySelector("[data-preview-button]");
    [button, previewButton].forEach(function (b) { if (b) b.disabled = on; });
    if (button) button.textContent = on && what === "document" ? "Đang tạo văn bản…" : idleLabel(form);
    if (previewButton) previewButton.textContent = on && what === "preview" ? "Đang dựng trang…" : "Xem trước";
    if (preview) preview.querySelectorAll("[data-preview-page]").forEach(function (b) {
      b.disabled = on || !previewPages ||
        (b.getAttribute("data-preview-page") === "-1" ? previewPage <= 1 : previewPage >= previewPages);
    });
  }

  /* --- what the server answered ------------------------------------------------------ */

  /* RFC 6266: filename*=UTF-8''… (percent-encoded), else filename="…". */
  function filenameOf(response) {
    var header = response.headers.get("Content-Disposition") || "";
    var star = /filename\*=UTF-8''([^;]+)/i.exec(header);
    if (star) { try { return decodeURIComponent(star[1]); } catch (e) { /* fall through */ } }
    var plain = /filename="([^"]*)"/i.exec(header);
    return plain ? plain[1] : "van-ban";
  }

  /* X-Docgen-Warning-Messages: "path=<percent-encoded message>, …" (commas inside a
   * message are encoded, so splitting on ", " is safe). */
  function warningsOf(response) {
    var header = response.headers.get("X-Docgen-Warning-Messages");
    if (!header) return [];
    return header.split(", ").map(function (item) {
      var at = item.indexOf("=");
      var message = item.slice(at + 1);
      try { message = decodeURIComponent(message); } catch (e) { /* keep it encoded */ }
      return { path: item.slice(0, at), message: message };
    });
  }

  function saveFile(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = el("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  /* The label the clerk sees for a path (the error summary's wording), else the path. */
  function labelOf(path) {
    var form = currentForm();
    var input = form && form.querySelector("[name='" + path.replace(/'/g, "\\'") + "']");
    var label = input && input.id && form.querySelector("label[for='" + input.id + "']");
    return { text: label ? label.textContent.replace(/\s*\*\s*$/, "").trim() : path,
             id: input ? input.id : "" };
  }

  /* The red errors of the last answer no longer apply once a render succeeded. */
  function clearErrors(form) {
    var summary = document.getElementById("error-summary");
    if (summary) summary.remove();
    form.querySelectorAll(".field-error").forEach(function (p) { p.remove(); });
    form.querySelectorAll(".has-error").forEach(function (f) { f.classList.remove("has-error"); });
    form.querySelectorAll("[aria-invalid]").forEach(function (input) {
      input.removeAttribute("aria-invalid");
      var described = (input.getAttribute("aria-describedby") || "").split(" ")
        .filter(function (id) { return id && !/-error$/.test(id); });
      if (described.length) input.setAttribute("aria-describedby", described.join(" "));
      else input.removeAttribute("aria-describedby");
    });
  }

  function show(kind, heading, lines, warnings) {
    result.replaceChildren();
    result.className = "result result-" + kind;
    result.appendChild(el("h2", "", heading));
    lines.forEach(function (line) { result.appendChild(el("p", "", line)); });
    if (warnings && warnings.length) {
      result.appendChild(el("h3", "", "Lưu ý (" + warnings.length + "): văn bản vẫn được tạo"));
      var list = el("ul", "warnings");
      warnings.forEach(function (w) {
        var item = el("li", "warning");
        item.setAttribute("data-path", w.path);
        var where = labelOf(w.path);
        var link = el("a", "", where.text);
        link.href = "#" + (where.id || "main");
        item.appendChild(link);
        item.appendChild(document.createTextNode(": " + w.message));
        list.appendChild(item);
      });
      result.appendChild(list);
    }
    result.hidden = false;
  }

  function succeeded(form, response, blob) {
    var name = filenameOf(response);
    saveFile(blob, name);
    clearErrors(form);
    var lines = ["Đã tải xuống tệp " + name + "."];
    var number = response.headers.get("X-Docgen-Register-Number");
    if (number) {
      var symbol = response.headers.get("X-Docgen-Register-Symbol") || "";
      try { symbol = decodeURIComponent(symbol); } catch (e) { /* show it as sent */ }
      lines.unshift("Đã cấp số " + number + ", số ký hiệu " + symbol +
                    ", và vào sổ đăng ký văn bản đi.");
      var box = form.querySelector("[name='_register']");
      if (box && box.checked) {
        box.checked = false;  // the next click must not take another number
        box.dispatchEvent(new Event("change", { bubbles: true }));  // the draft forgets it too
        lines.push("Ô “Cấp số” đã được bỏ chọn để lần tạo sau không lấy thêm số.");
      }
    }
    show("ok", number ? "Đã tạo và cấp số văn bản" : "Đã tạo văn bản", lines, warningsOf(response));
    result.focus();
  }

  /* 422 from the form: the page with each message under its field replaces the form. */
  function replaceForm(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.querySelector("[data-form-main]");
    if (!fresh || !fresh.querySelector("form[data-docgen-form]")) return false;
    result.hidden = true;
    result.replaceChildren();
    main.replaceChildren.apply(main, Array.prototype.slice.call(fresh.childNodes).map(function (n) {
      return document.adoptNode(n);
    }));
    if (window.docgenForm) window.docgenForm.setup(currentForm());
    return true;
  }

  /* Any other refusal: its Vietnamese message (problem+json, or the HTML problem page). */
  function failed(response, text) {
    var type = response.headers.get("Content-Type") || "";
    var heading = "Chưa tạo được văn bản";
    var lines = [];
    if (type.indexOf("json") >= 0) {
      try {
        var body = JSON.parse(text);
        heading = body.title || heading;
        lines.push(body.detail || "");
        (body.errors || []).forEach(function (e) { lines.push(e.path + ": " + e.message); });
        if (body.code) lines.push("Mã lỗi: " + body.code + " (HTTP " + response.status + ")");
      } catch (e) { lines.push("Máy chủ trả lời lỗi HTTP " + response.status + "."); }
    } else if (type.indexOf("html") >= 0) {
      var doc = new DOMParser().parseFromString(text, "text/html");
      var h1 = doc.querySelector("h1");
      var p = doc.querySelector("main p");
      if (h1) heading = h1.textContent;
      lines.push(p ? p.textContent : "Máy chủ trả lời lỗi HTTP " + response.status + ".");
    } else {
      lines.push("Máy chủ trả lời lỗi HTTP " + response.status + ".");
    }
    return { heading: heading, lines: lines };
  }

  function post(form, url) {
    return fetch(url, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "Accept": ACCEPT },
    });
  }

  function unreachable() {
    return { heading: "Không kết nối được máy chủ",
             lines: ["Kiểm tra kết nối mạng rồi thử lại; dữ liệu đã nhập vẫn còn."] };
  }

  /* --- "Tạo văn bản" ------------------------------------------------------------------- */

  function makeDocument(form) {
    setBusy(form, true, "document");
    post(form, form.getAttribute("action")).then(function (response) {
      if (response.ok) {
        return response.blob().then(function (blob) { succeeded(form, response, blob); });
      }
      return response.text().then(function (text) {
        var type = response.headers.get("Content-Type") || "";
        if (response.status === 422 && type.indexOf("html") >= 0 && replaceForm(text)) return;
        var why = failed(response, text);
        show("error", why.heading, why.lines);
        result.focus();
      });
    }, function () {
      var why = unreachable();
      show("error", why.heading, why.lines);
    }).then(function () {
      var now = currentForm();  // the same form, or the one a 422 put in its place
      setBusy(now, false);
      if (now !== form) setBusy(form, false);
    });
  }

  /* --- "Xem trước" -------------------------------------------------------------------- */

  var status = preview && preview.querySelector("[data-preview-status]");
  var image = preview && preview.querySelector("[data-preview-image]");
  var pager = preview && preview.querySelector("[data-preview-pager]");
  var pagesText = preview && preview.querySelector("[data-preview-pages]");

  function previewSay(text, isError) {
    status.textContent = text;
    status.classList.toggle("preview-error", !!isError);
  }

  function makePreview(form, page) {
    var url = form.querySelector("[data-preview-button]").getAttribute("formaction") + "?page=" + page;
    setBusy(form, true, "preview");
    previewSay("Đang dựng trang " + page + " qua LibreOffice…");
    post(form, url).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.ok && type.indexOf("image/png") === 0) {
        return response.blob().then(function (blob) {
          if (previewUrl) URL.revokeObjectURL(previewUrl);
          previewUrl = URL.createObjectURL(blob);
          previewPage = parseInt(response.headers.get("X-Docgen-Preview-Page") || page, 10);
          previewPages = parseInt(response.headers.get("X-Docgen-Preview-Pages") || "1", 10);
          image.src = previewUrl;
          image.alt = "Trang " + previewPage + " của văn bản, như khi in";
          image.hidden = false;
          pagesText.textContent = "Trang " + previewPage + "/" + previewPages;
          pager.hidden = previewPages < 2;
          var when = new Date();
          previewSay("Trang " + previewPage + "/" + previewPages + ", dựng lúc " +
                     when.toLocaleTimeString("vi-VN") + " từ dữ liệu đang nhập.");
        });
      }
      return response.text().then(function (text) {
        if (response.status === 422 && type.indexOf("html") >= 0 && replaceForm(text)) {
          previewSay("Chưa xem trước được: dữ liệu còn lỗi, xem các thông báo trong biểu mẫu.", true);
          return;
        }
        var why = failed(response, text);
        previewSay(why.heading + ": " + why.lines.join(" "), true);
      });
    }, function () {
      var why = unreachable();
      previewSay(why.heading + ". " + why.lines.join(" "), true);
    }).then(function () {
      var now = currentForm();
      setBusy(now, false);
      if (now !== form) setBusy(form, false);
    });
  }

  if (preview) preview.addEventListener("click", function (event) {
    var step = event.target.closest("[data-preview-page]");
    var form = currentForm();
    if (!step || busy || !form) return;
    var next = previewPage + parseInt(step.getAttribute("data-preview-page"), 10);
    if (next >= 1 && next <= previewPages) makePreview(form, next);
  });

  /* One listener for the page: the form may be replaced, the listener stays. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-docgen-form]")) return;
    event.preventDefault();
    if (busy) return;  // a second click while the first renders: nothing, no second number
    var submitter = event.submitter;
    if (submitter && submitter.hasAttribute("data-preview-button") && preview) makePreview(form, 1);
    else makeDocument(form);
  });
})();
