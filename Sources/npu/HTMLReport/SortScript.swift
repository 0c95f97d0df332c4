/// The report's inline script: clicking (or Enter on) a header of the layer table sorts its rows
/// by that column, numbers by their exact `data-value` (largest first on the first click, except
/// "#", whose first click restores execution order), text alphabetically; rows without a value
/// (host operations) stay last. A second click reverses the order. Without JavaScript the table
/// stays in execution order.
enum SortScript {
    static let javascript = """
        (function () {
          var table = document.getElementById("layer-table");
          if (!table) { return; }
          var headers = table.tHead.rows[0].cells, body = table.tBodies[0];
          function value(row, column) {
            var text = row.cells[column].getAttribute("data-value");
            return text === null ? null : Number(text);
          }
          function sort(column, numeric, descending) {
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function (a, b) {
              if (numeric) {
                var x = value(a, column), y = value(b, column);
                if (x === null || y === null) { return (x === null ? 1 : 0) - (y === null ? 1 : 0); }
                return descending ? y - x : x - y;
              }
              var s = a.cells[column].textContent, t = b.cells[column].textContent;
              return descending ? t.localeCompare(s) : s.localeCompare(t);
            });
            rows.forEach(function (row) { body.appendChild(row); });
          }
          Array.prototype.forEach.call(headers, function (header, column) {
            var largestFirst = header.classList.contains("num") && column > 0;
            function activate() {
              var first = largestFirst ? "descending" : "ascending", current = header.getAttribute("aria-sort");
              var next = current === first ? (first === "ascending" ? "descending" : "ascending") : first;
              Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
              header.setAttribute("aria-sort", next);
              sort(column, header.classList.contains("num"), next === "descending");
            }
            header.tabIndex = 0;
            header.addEventListener("click", activate);
            header.addEventListener("keydown", function (event) {
              if (event.key === "Enter" || event.key === " ") { event.preventDefault(); activate(); }
            });
          });
          table.classList.add("ready");
        })();
        """
}
