/* Sortable tables: click a column heading to sort the rows; click again to reverse.
   Without JavaScript the table stays in rank order. Headings become buttons and carry
   aria-sort. Cells sort by their data-sort value when they have one, else by their text. */
(function () {
  "use strict";

  function key(cell, numeric) {
    if (!cell) return numeric ? null : "";
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    if (!numeric) return raw;
    if (raw === "") return null;
    var value = parseFloat(raw.replace(",", "."));
    return isNaN(value) ? null : value;
  }

  function isNumeric(th) {
    return th.getAttribute("data-sort-type") !== "text" && th.classList.contains("num");
  }

  function sort(table, th, index) {
    var body = table.tBodies[0];
    var numeric = isNumeric(th);
    var current = th.getAttribute("aria-sort");
    // First click: text and ranks ascending, figures highest first; then reverse.
    var ascending = current ? current !== "ascending" : (!numeric || th.hasAttribute("data-sort-ascending"));
    var collator = new Intl.Collator(document.documentElement.lang || "vi", { sensitivity: "base", numeric: true });
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[index], numeric);
      var y = key(b.cells[index], numeric);
      if (numeric) {
        if (x === null && y === null) return 0;
        if (x === null) return 1;  // empty cells last, whatever the direction
        if (y === null) return -1;
        return ascending ? x - y : y - x;
      }
      var order = collator.compare(x, y);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      cell.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function init(table) {
    var headings = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headings, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () { sort(table, th, index); });
    });
    table.classList.add("is-sortable");
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), init);
  });
})();
