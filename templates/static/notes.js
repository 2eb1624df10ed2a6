// The notes editor: a live preview and byte count from the server, which converts and
// sanitizes as a save does. Without this file, "Preview notes" does the same on a reload.
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn); }

  ready(function () {
    document.querySelectorAll("[data-notes-editor]").forEach(function (editor) {
      var url = editor.getAttribute("data-preview-url");
      var form = editor.closest("form");
      var token = form ? (form.querySelector("input[name=csrf]") || {}).value || "" : "";
      var text = editor.querySelector("textarea");
      var shown = editor.querySelector(".preview > div");
      var count = editor.querySelector("[data-notes-bytes]");
      if (!text || !shown || !count) return;
      var timer = null, asked = 0;
      var format = function () {
        var checked = editor.querySelector("input[name=notes_format]:checked");
        return checked ? checked.value : "html";
      };
      var update = function () {
        var mine = ++asked;
        fetch(url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
          body: JSON.stringify({ format: format(), text: text.value })
        }).then(function (r) { return r.ok ? r.json() : null; }).then(function (p) {
          if (!p || mine !== asked) return;
          shown.innerHTML = p.html;
          count.textContent = p.message;
          count.classList.toggle("over", p.over_limit);
        }, function () { /* keep the last preview */ });
      };
      var soon = function () { clearTimeout(timer); timer = setTimeout(update, 250); };
      text.addEventListener("input", soon);
      editor.querySelectorAll("input[name=notes_format]").forEach(function (r) { r.addEventListener("change", update); });
    });
  });
})();
