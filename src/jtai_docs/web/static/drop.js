// Lets a file be dropped anywhere on an upload box, not only on the small file button.
// Written for this page (a dozen lines); the forms work the same without it.
document.querySelectorAll(".drop-zone").forEach(function (zone) {
  var input = zone.querySelector("input[type=file]");
  if (!input) { return; }
  zone.addEventListener("dragover", function (event) { event.preventDefault(); zone.classList.add("dragging"); });
  zone.addEventListener("dragleave", function () { zone.classList.remove("dragging"); });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    zone.classList.remove("dragging");
    if (event.dataTransfer && event.dataTransfer.files.length) { input.files = event.dataTransfer.files; }
  });
});
