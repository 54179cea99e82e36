// Storyline pages: small progressive enhancements; every page works without this script.
(function () {
  "use strict";
  // Filter the story list as the user types (the form still searches on the server).
  var box = document.querySelector("form.search input[type=search]");
  var rows = document.querySelectorAll("table.stories tbody tr");
  if (box && rows.length) {
    box.addEventListener("input", function () {
      var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase();
        var keep = words.every(function (w) { return text.indexOf(w) >= 0; });
        row.classList.toggle("hidden", !keep);
      });
    });
  }
  // A split must leave articles behind: refuse to submit with none or all checked.
  var split = document.querySelector("form.split");
  if (split) {
    split.addEventListener("submit", function (event) {
      var boxes = split.querySelectorAll("input[type=checkbox]");
      var checked = split.querySelectorAll("input[type=checkbox]:checked");
      if (checked.length === 0 || checked.length === boxes.length) {
        event.preventDefault();
        window.alert("Check some, but not all, of the articles.");
      }
    });
  }
})();
