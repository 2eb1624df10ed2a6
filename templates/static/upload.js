// The upload widget: <div data-upload="/shows/{slug}/uploads" data-purpose="…" data-fill="…">.
// A dropped or chosen file goes straight to the object store with the signed URLs the server
// hands out (S3's presigned ones in production), part by part, each part retried; the server
// then probes it, and the widget fills the form's fields in from what the probe found. Without
// JavaScript the fields are still there to fill in by hand.
(function () {
  "use strict";
  var TYPES = { mp3: "audio/mpeg", m4a: "audio/x-m4a", mp4: "video/mp4", mov: "video/quicktime",
    m4v: "video/x-m4v", jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png" };
  var RETRIES = 4;

  function typeOf(file) {
    if (file.type) return file.type;
    var ext = (file.name.split(".").pop() || "").toLowerCase();
    return TYPES[ext] || "application/octet-stream";
  }

  function clock(seconds) {
    var s = Math.round(seconds), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    s = s % 60;
    return h + ":" + (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }

  function sizeText(bytes) {
    if (bytes >= 1048576) return (bytes / 1048576).toFixed(1) + " MB";
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function call(method, url, token, body) {
    var init = { method: method, credentials: "same-origin", headers: { "X-CSRF-Token": token } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(url, init).then(function (r) {
      return r.text().then(function (t) {
        var json = {};
        try { json = t ? JSON.parse(t) : {}; } catch (e) { json = {}; }
        if (!r.ok) {
          var msg = (json.error && json.error.message) || ("the server answered " + r.status);
          var err = new Error(msg);
          err.code = json.error && json.error.code;
          throw err;
        }
        return json;
      });
    });
  }

  function setup(zone) {
    var input = zone.querySelector("input[type=file]");
    var box = zone.querySelector("[data-upload-progress]");
    var bar = zone.querySelector("progress");
    var status = zone.querySelector("[data-upload-status]");
    var cancel = zone.querySelector("[data-upload-cancel]");
    var form = zone.closest("form");
    var token = form ? (form.querySelector("input[name=csrf]") || {}).value || "" : "";
    var base = zone.getAttribute("data-upload");
    var current = null;

    function say(text, kind) {
      status.textContent = text;
      zone.setAttribute("data-state", kind || "");
    }

    function fill(upload) {
      var media = upload.media || {};
      (zone.getAttribute("data-fill") || "").split(",").forEach(function (pair) {
        var kv = pair.split(":"), el = document.getElementById(kv[1]);
        if (!el) return;
        var value = { url: upload.url, length: media.length, type: media.content_type,
          duration: media.duration_seconds != null ? clock(media.duration_seconds) : null }[kv[0]];
        if (value == null) return;
        el.value = value;
        el.dispatchEvent(new Event("change", { bubbles: true }));
      });
    }

    function describe(upload) {
      var m = upload.media || {}, parts = [];
      if (m.duration_seconds != null) parts.push(clock(m.duration_seconds));
      if (m.width) parts.push(m.width + "×" + m.height + " px");
      parts.push(m.content_type, sizeText(m.length));
      if (m.bitrate) parts.push(Math.round(m.bitrate / 1000) + " kb/s");
      return "Uploaded " + upload.file_name + " · " + parts.join(" · ") + ". Save to use it.";
    }

    function putPart(job, part, blob, sentBefore) {
      return new Promise(function (resolve, reject) {
        var xhr = new XMLHttpRequest();
        job.xhr = xhr;
        xhr.open("PUT", part.url);
        Object.keys(part.headers || {}).forEach(function (h) { xhr.setRequestHeader(h, part.headers[h]); });
        xhr.upload.onprogress = function (e) {
          bar.value = Math.floor(100 * (sentBefore + e.loaded) / job.size);
        };
        xhr.onload = function () {
          if (xhr.status >= 200 && xhr.status < 300) resolve(xhr.getResponseHeader("ETag") || "");
          else reject(new Error("the store answered " + xhr.status));
        };
        xhr.onerror = function () { reject(new Error("the connection dropped")); };
        xhr.onabort = function () { reject(new Error("cancelled")); };
        xhr.send(blob);
      });
    }

    function sendPart(job, part, blob, sentBefore, attempt) {
      return putPart(job, part, blob, sentBefore).catch(function (err) {
        if (job.cancelled || attempt >= RETRIES) throw err;
        say("Connection trouble; sending part " + part.number + " again…", "busy");
        return new Promise(function (r) { setTimeout(r, 1000 * Math.pow(2, attempt)); })
          .then(function () { return sendPart(job, part, blob, sentBefore, attempt + 1); });
      });
    }

    function poll(job, id, tries) {
      if (job.cancelled) return Promise.reject(new Error("cancelled"));
      return call("GET", base + "/" + id, token).then(function (u) {
        if (u.state === "ready" || u.state === "refused") return u;
        if (tries > 600) throw new Error("probing takes too long; reload the page later");
        return new Promise(function (r) { setTimeout(r, 1000); })
          .then(function () { return poll(job, id, tries + 1); });
      });
    }

    function start(file) {
      if (current) return;
      var job = current = { size: file.size || 1, cancelled: false, id: null };
      box.hidden = false;
      cancel.hidden = false;
      bar.value = 0;
      say("Uploading " + file.name + " (" + sizeText(file.size) + ")…", "busy");
      var ask = { purpose: zone.getAttribute("data-purpose"), file_name: file.name,
        content_type: typeOf(file), length: file.size };
      call("POST", base, token, ask).then(function (upload) {
        job.id = upload.id;
        var partBytes = upload.send.part_bytes || file.size, etags = [];
        var chain = Promise.resolve();
        upload.send.parts.forEach(function (part, i) {
          chain = chain.then(function () {
            var from = i * partBytes;
            return sendPart(job, part, file.slice(from, Math.min(file.size, from + partBytes)), from, 0)
              .then(function (etag) { etags.push({ number: part.number, etag: etag }); });
          });
        });
        return chain.then(function () {
          bar.value = 100;
          say("Checking " + file.name + "…", "busy");
          return call("POST", base + "/" + upload.id + "/complete", token, { parts: etags });
        }).then(function () { return poll(job, upload.id, 0); });
      }).then(function (u) {
        cancel.hidden = true;
        if (u.state === "refused") {
          say("Refused: " + u.error.message, "error");
        } else {
          fill(u);
          var warn = (u.warnings || []).map(function (w) { return w.message; }).join(" ");
          say(describe(u) + (warn ? " " + warn : ""), warn ? "warning" : "done");
        }
        current = null;
      }).catch(function (err) {
        cancel.hidden = true;
        current = null;
        if (job.cancelled) { say("Upload cancelled.", ""); return; }
        say("Upload failed: " + err.message, "error");
      });
    }

    input.addEventListener("change", function () { if (input.files[0]) start(input.files[0]); });
    zone.addEventListener("dragover", function (e) { e.preventDefault(); zone.classList.add("dragging"); });
    zone.addEventListener("dragleave", function () { zone.classList.remove("dragging"); });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      zone.classList.remove("dragging");
      if (e.dataTransfer.files[0]) start(e.dataTransfer.files[0]);
    });
    cancel.addEventListener("click", function () {
      if (!current) return;
      var job = current;
      job.cancelled = true;
      if (job.xhr) job.xhr.abort();
      if (job.id) call("POST", base + "/" + job.id + "/delete", token).catch(function () {});
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-upload]").forEach(setup);
  });
})();
