/* Data exchange uploads (issue 14 item 2): progress per file and resumable uploads over the
   tus 1.0.0 protocol (tus-js-client). Progressive enhancement: without JavaScript the form
   posts the files as usual. An interrupted upload resumes where it stopped when the same
   file is chosen again (tus-js-client remembers it in localStorage). No inline code (CSP). */
(function () {
  "use strict";
  function text(el, value) { el.textContent = value; }

  function setUp(form) {
    if (!window.tus || !window.tus.isSupported) { return; }
    var input = form.querySelector('input[type="file"]');
    var list = form.querySelector(".dmk-upload-progress");
    var csrf = form.querySelector('input[name="csrfmiddlewaretoken"]').value;
    var lang = document.documentElement.lang || "de";
    var words = lang.indexOf("en") === 0
      ? { done: "saved", failed: "not saved: ", of: " of ", all: "All files are saved. The page is reloaded." }
      : { done: "gespeichert", failed: "nicht gespeichert: ", of: " von ", all: "Alle Dateien sind gespeichert. Die Seite wird neu geladen." };

    form.addEventListener("dragover", function (event) { event.preventDefault(); form.classList.add("dmk-upload--over"); });
    form.addEventListener("dragleave", function () { form.classList.remove("dmk-upload--over"); });
    form.addEventListener("drop", function (event) {
      event.preventDefault();
      form.classList.remove("dmk-upload--over");
      if (event.dataTransfer && event.dataTransfer.files.length) { input.files = event.dataTransfer.files; }
    });

    form.addEventListener("submit", function (event) {
      if (!input.files || !input.files.length) { return; }
      event.preventDefault();
      var files = Array.prototype.slice.call(input.files);
      var pending = files.length, failures = 0;
      list.replaceChildren();
      files.forEach(function (file) {
        var item = document.createElement("li");
        var label = document.createElement("span");
        var bar = document.createElement("progress");
        var state = document.createElement("span");
        text(label, file.name + " ");
        bar.max = 100; bar.value = 0;
        bar.setAttribute("aria-label", file.name);
        item.append(label, bar, state);
        list.append(item);
        var upload = new window.tus.Upload(file, {
          endpoint: form.dataset.tusEndpoint,
          chunkSize: 8 * 1024 * 1024,
          retryDelays: [0, 1000, 3000, 5000, 10000],
          headers: { "X-CSRFToken": csrf },
          metadata: { filename: file.name, folder: form.dataset.folder || "" },
          removeFingerprintOnSuccess: true,
          onProgress: function (sent, total) {
            bar.value = total ? Math.floor(sent * 100 / total) : 0;
            bar.setAttribute("aria-valuetext", Math.floor(sent * 100 / total) + " %");
          },
          onError: function (error) {
            var body = error.originalResponse ? error.originalResponse.getBody() : String(error);
            text(state, " " + words.failed + body);
            failures += 1; pending -= 1;
          },
          onSuccess: function () {
            bar.value = 100;
            text(state, " " + words.done);
            pending -= 1;
            if (pending === 0 && failures === 0) {
              var note = document.createElement("li");
              text(note, words.all);
              list.append(note);
              window.location.reload();
            }
          }
        });
        upload.findPreviousUploads().then(function (previous) {
          if (previous.length) { upload.resumeFromPreviousUpload(previous[0]); }
          upload.start();
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.dmk-upload[data-tus-endpoint]").forEach(setUp);
  });
})();
