/* Sorts and filters the repository table. Allowed by the page's CSP by its SHA-256. */
/* global document */
(function () {
  'use strict';
  var table = document.getElementById('repos');
  if (!table) return;
  var tbody = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  var filter = document.getElementById('filter');
  var status = document.getElementById('status');
  var shown = document.getElementById('shown');
  var current = { col: -1, dir: 1 };

  function value(row, i) {
    var cell = row.cells[i];
    var v = cell.getAttribute('data-v');
    return v === null ? cell.textContent.trim() : v;
  }

  function sortBy(i) {
    var numeric = heads[i].getAttribute('data-type') === 'num';
    current.dir = current.col === i ? -current.dir : numeric ? -1 : 1;
    current.col = i;
    var dir = current.dir;
    var rows = Array.prototype.slice.call(tbody.rows);
    rows.sort(function (a, b) {
      var x = value(a, i);
      var y = value(b, i);
      if (numeric) {
        // Empty (unknown) values sort last either way.
        if (x === '' || y === '') return x === y ? 0 : x === '' ? 1 : -1;
        return (parseFloat(x) - parseFloat(y)) * dir || value(a, 0).localeCompare(value(b, 0));
      }
      return x.localeCompare(y) * dir;
    });
    var frag = document.createDocumentFragment();
    rows.forEach(function (r) {
      frag.appendChild(r);
    });
    tbody.appendChild(frag);
    for (var h = 0; h < heads.length; h++) {
      heads[h].setAttribute('aria-sort', h === i ? (dir > 0 ? 'ascending' : 'descending') : 'none');
    }
  }

  function applyFilter() {
    var q = (filter.value || '').trim().toLowerCase();
    var s = status.value;
    var n = 0;
    var rows = tbody.rows;
    for (var r = 0; r < rows.length; r++) {
      var row = rows[r];
      var hit = (!q || row.getAttribute('data-search').indexOf(q) !== -1) && (!s || row.getAttribute('data-status') === s);
      row.hidden = !hit;
      if (hit) n++;
    }
    shown.textContent = String(n);
  }

  Array.prototype.forEach.call(heads, function (th, i) {
    var b = th.querySelector('button');
    if (b) b.addEventListener('click', function () { sortBy(i); });
  });
  filter.addEventListener('input', applyFilter);
  status.addEventListener('change', applyFilter);
})();
