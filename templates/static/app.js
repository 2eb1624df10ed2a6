// podpub web UI: small enhancements. Every page works without this file except live progress.
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn); }

  ready(function () {
    // Copy buttons: <button data-copy="input-id">
    document.querySelectorAll("[data-copy]").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var input = document.getElementById(btn.getAttribute("data-copy"));
        if (!input) return;
        input.select();
        var done = function () { btn.textContent = "Copied"; setTimeout(function () { btn.textContent = "Copy"; }, 1500); };
        if (navigator.clipboard) navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
        else { document.execCommand("copy"); done(); }
      });
    });

    // Repeatable rows: "Remove row" empties a row (an empty row is dropped on save) and hides it.
    document.querySelectorAll("[data-remove-row]").forEach(function (btn) {
      btn.hidden = false;
      btn.addEventListener("click", function () {
        var row = btn.closest("[data-row]");
        if (!row) return;
        row.querySelectorAll("input, select, textarea").forEach(function (el) {
          if (el.type === "checkbox") el.checked = false; else el.value = "";
        });
        row.hidden = true;
      });
    });

    // Artwork preview follows the URL field.
    document.querySelectorAll("img[data-preview-for]").forEach(function (img) {
      var input = document.getElementById(img.getAttribute("data-preview-for"));
      if (!input) return;
      input.addEventListener("change", function () {
        var url = input.value.trim();
        if (/^https?:\/\//i.test(url)) { img.src = url; img.hidden = false; } else { img.hidden = true; }
      });
    });

    // First run: suggest the browser's time zone.
    document.querySelectorAll("select[data-detect-tz]").forEach(function (sel) {
      if (sel.value !== "UTC") return;
      try {
        var tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
        if (tz && Array.prototype.some.call(sel.options, function (o) { return o.value === tz; })) sel.value = tz;
      } catch (e) { /* keep UTC */ }
    });

    // Time zones: a filter box over the grouped list (without JS the plain select remains).
    document.querySelectorAll("select[data-tz-filter]").forEach(function (sel) {
      var box = document.createElement("input");
      box.type = "search";
      box.id = sel.id + "-filter";
      box.setAttribute("aria-label", "Filter time zones");
      box.setAttribute("aria-controls", sel.id);
      box.placeholder = "Filter, e.g. Berlin or New York";
      var status = document.createElement("small");
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      status.className = "tz-count";
      sel.parentNode.insertBefore(box, sel);
      sel.parentNode.insertBefore(status, sel);
      var norm = function (t) { return t.toLowerCase().replace(/[_\s]+/g, " "); };
      box.addEventListener("input", function () {
        var words = norm(box.value).trim().split(" ").filter(Boolean), shown = 0, first = null;
        Array.prototype.forEach.call(sel.querySelectorAll("optgroup"), function (g) {
          var any = false;
          Array.prototype.forEach.call(g.children, function (o) {
            var text = norm(o.value + " " + o.textContent);
            var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
            o.hidden = !hit;
            if (hit) { any = true; shown++; if (!first) first = o; }
          });
          g.hidden = !any;
        });
        if (first && sel.selectedOptions.length && sel.selectedOptions[0].hidden) sel.value = first.value;
        status.textContent = words.length ? shown + (shown === 1 ? " zone matches" : " zones match") : "";
      });
    });

    // Feed panel: while a publish is pending, reload once the state changes.
    document.querySelectorAll("[data-feed-state]").forEach(function (el) {
      var url = el.getAttribute("data-feed-state"), state = el.getAttribute("data-state");
      if (state === "up_to_date") return;
      var tries = 0;
      var poll = function () {
        if (++tries > 120) return;
        fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (s) {
          if (s.state !== state) location.reload(); else setTimeout(poll, 1000);
        }, function () { setTimeout(poll, 2000); });
      };
      setTimeout(poll, 1000);
    });

    // Refresh batches: live progress from a small JSON endpoint.
    document.querySelectorAll("[data-progress]").forEach(function (el) {
      var url = el.getAttribute("data-progress");
      var bar = el.querySelector("progress"), text = el.querySelector("[data-progress-text]");
      var poll = function () {
        fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (p) {
          var pct = p.total ? Math.floor(100 * (p.done + p.failed) / p.total) : 100;
          bar.max = 100; bar.value = pct;
          text.textContent = pct + "% · " + p.done + " done, " + p.failed + " failed of " + p.total + (p.finished ? " · finished" : "");
          var was = el.getAttribute("data-finished");
          el.setAttribute("data-finished", p.finished ? "true" : "false");
          // Pages that list each item (data-progress-reload) show the final states by reloading.
          if (p.finished && was === "false" && el.hasAttribute("data-progress-reload")) location.reload();
          if (!p.finished) setTimeout(poll, 500);
        }, function () { setTimeout(poll, 2000); });
      };
      poll();
    });
  });
})();
