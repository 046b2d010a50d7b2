// The class report's roster on the web page: sort by any column (click or Enter on its
// heading) and filter by name and verdict, without a reload.  The report itself is a plain
// table: a saved copy has no script and still reads top to bottom.
(function () {
  "use strict";
  var table = document.getElementById("roster-table");
  var tools = document.querySelector("#roster .roster-tools");
  if (!table || !tools || !table.tBodies.length) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);

  tools.innerHTML = "";
  var find = document.createElement("div");
  find.innerHTML = '<label for="roster-find">Find a student</label>' +
    '<input type="search" id="roster-find" autocomplete="off">';
  var show = document.createElement("div");
  show.innerHTML = '<label for="roster-show">Show</label><select id="roster-show">' +
    '<option value="">everyone</option><option value="dont_send">don\u2019t send</option>' +
    '<option value="revise">revise</option><option value="ready">ready</option>' +
    '<option value="unreadable">unreadable</option></select>';
  var count = document.createElement("p");
  count.id = "roster-count";
  count.className = "meta";
  count.setAttribute("role", "status");
  tools.appendChild(find);
  tools.appendChild(show);
  tools.appendChild(count);
  tools.hidden = false;
  var findInput = find.querySelector("input");
  var showSelect = show.querySelector("select");

  function filter() {
    var q = findInput.value.trim().toLowerCase();
    var v = showSelect.value;
    var shown = 0;
    rows.forEach(function (tr) {
      var name = tr.cells[0].textContent.toLowerCase();
      var ok = (!q || name.indexOf(q) >= 0) && (!v || tr.getAttribute("data-verdict") === v);
      tr.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = "Showing " + shown + " of " + rows.length + ".";
  }

  function value(tr, index, numeric) {
    // A row with one wide cell (an unreadable input) has no value for the later columns.
    var cell = tr.cells[index];
    if (!cell || tr.cells.length < heads.length && index > 0 && index !== 1) {
      return numeric ? Infinity : "\uffff";
    }
    var raw = cell.getAttribute("data-sort");
    if (raw === null) { raw = cell.textContent.trim(); }
    return numeric ? parseFloat(raw) : raw.toLowerCase();
  }

  function sortBy(index) {
    var th = heads[index];
    var numeric = th.hasAttribute("data-numeric");
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    var order = rows.map(function (tr, i) { return [value(tr, index, numeric), i, tr]; });
    order.sort(function (a, b) {
      if (a[0] === b[0]) { return a[1] - b[1]; }
      if (a[0] === Infinity || a[0] === "\uffff") { return 1; }
      if (b[0] === Infinity || b[0] === "\uffff") { return -1; }
      return (a[0] < b[0] ? -1 : 1) * dir;
    });
    order.forEach(function (o) { body.appendChild(o[2]); });
    rows = order.map(function (o) { return o[2]; });
  }

  heads.forEach(function (th, i) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = th.textContent;
    button.setAttribute("aria-label", "Sort by " + th.textContent.toLowerCase());
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () { sortBy(i); });
  });
  findInput.addEventListener("input", filter);
  showSelect.addEventListener("change", filter);
  filter();

  // A link to a card (from the roster or the summary) opens it.
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var el = id && document.getElementById(id);
    var card = el && el.closest ? el.closest("details.card") : null;
    if (card && !card.open) { card.open = true; el.scrollIntoView(); }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();

// A review running as a job (/batch/jobs/<id>): poll its status, move the progress bar, and
// open the report (the same address) when it is done.  Without JavaScript the page refreshes
// itself; the cancel button is a plain form either way.
(function () {
  "use strict";
  var box = document.getElementById("batch-job");
  if (!box || !window.fetch) { return; }
  var state = box.getAttribute("data-state");
  if (state !== "queued" && state !== "running") { return; }
  var url = box.getAttribute("data-status-url");
  var done = document.getElementById("job-done");
  var total = document.getElementById("job-total");
  var bar = document.getElementById("job-progress");
  var status = document.getElementById("job-status");
  var cancel = document.getElementById("job-cancel");
  var form = document.getElementById("job-cancel-form");
  var failures = 0;

  if (form && cancel) {
    form.addEventListener("submit", function () {
      cancel.disabled = true;
      cancel.textContent = "Cancelling\u2026";
    });
  }

  function show(data) {
    done.textContent = String(data.done);
    total.textContent = String(data.total);
    bar.max = Math.max(1, data.total);
    bar.value = data.done;
    bar.textContent = data.done + " of " + data.total;
    if (data.state === "running" && status.firstChild &&
        status.firstChild.nodeType === 3) {
      status.firstChild.nodeValue = "Checking the drafts: ";
    }
  }

  function poll() {
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) {
        if (!r.ok) { throw new Error("status " + r.status); }
        return r.json();
      })
      .then(function (data) {
        failures = 0;
        show(data);
        if (data.state === "queued" || data.state === "running") {
          window.setTimeout(poll, 1000);
        } else {
          window.location.replace(data.url);  // the report, or why it ended
        }
      })
      .catch(function () {
        failures += 1;
        if (failures < 5) { window.setTimeout(poll, 2000); } else { window.location.reload(); }
      });
  }
  window.setTimeout(poll, 500);
})();
