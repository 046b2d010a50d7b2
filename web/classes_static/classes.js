// Class mode: copy buttons for the class links, and the dashboard's live roster (polling with
// an ETag, so an unchanged roster costs a 304), its sorting and filtering without a reload.
// Everything works without this file: the links are plain text and the dashboard reloads.
(function () {
  "use strict";

  function say(el, msg) { if (el) { el.textContent = msg; } }

  // -- copy buttons -----------------------------------------------------------------------
  Array.prototype.forEach.call(document.querySelectorAll("button.copy[data-copy]"), function (btn) {
    btn.addEventListener("click", function () {
      var input = document.getElementById(btn.getAttribute("data-copy"));
      var status = document.getElementById("copy-status");
      if (!input) { return; }
      input.select();
      var done = function () { say(status, "Copied."); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(input.value).then(done, function () {
          say(status, "Select the link and copy it (Ctrl+C).");
        });
      } else {
        try { document.execCommand("copy"); done(); } catch (e) { say(status, "Select the link and copy it."); }
      }
    });
  });

  // -- the live roster ----------------------------------------------------------------------
  var live = document.getElementById("roster-live");
  if (!live || !window.fetch) { return; }
  var status = document.getElementById("live-status");
  var form = document.getElementById("roster-filter");
  var base = live.getAttribute("data-url");
  var etag = live.getAttribute("data-etag");
  var every = parseInt(live.getAttribute("data-poll-ms"), 10) || 3000;
  var timer = null;
  var busy = false;
  var failures = 0;

  function versionsByName() {
    var out = {};
    Array.prototype.forEach.call(live.querySelectorAll("tr[data-name]"), function (tr) {
      out[tr.getAttribute("data-name")] = tr.getAttribute("data-versions");
    });
    return out;
  }

  function refresh(search) {
    if (busy) { return Promise.resolve(); }
    busy = true;
    var query = search === undefined ? window.location.search : search;
    var headers = { "X-Requested-With": "fetch" };
    if (etag && search === undefined) { headers["If-None-Match"] = '"' + etag + '"'; }
    return fetch(base + query, { headers: headers, credentials: "same-origin", cache: "no-store" })
      .then(function (resp) {
        failures = 0;
        if (resp.status === 304) { return; }
        if (!resp.ok) { say(status, "Live updates paused (" + resp.status + "); reload the page."); return; }
        var tag = resp.headers.get("ETag");
        return resp.text().then(function (html) {
          var before = versionsByName();
          etag = tag ? tag.replace(/^W\//, "").replace(/"/g, "") : null;
          live.innerHTML = html;  // our own template: every name is escaped by the server
          var changed = 0;
          Array.prototype.forEach.call(live.querySelectorAll("tr[data-name]"), function (tr) {
            if (before[tr.getAttribute("data-name")] !== tr.getAttribute("data-versions")) {
              tr.classList.add("fresh");
              changed += 1;
            }
          });
          if (search === undefined && changed) {
            say(status, "Updated " + new Date().toLocaleTimeString() + ": " + changed +
                " student" + (changed === 1 ? "" : "s") + " changed.");
          }
        });
      })
      .catch(function () {
        failures += 1;
        say(status, "Cannot reach the server; retrying.");
      })
      .then(function () { busy = false; });
  }

  function schedule() {
    clearTimeout(timer);
    var wait = Math.min(every * Math.pow(2, failures), 60000);
    timer = setTimeout(function () {
      if (document.hidden) { schedule(); return; }
      refresh().then(schedule);
    }, wait);
  }

  function go(search) {
    window.history.replaceState(null, "", window.location.pathname + search);
    if (form) {  // keep the filter form's sort fields in step with the headings
      var params = new URLSearchParams(search);
      ["sort", "order"].forEach(function (name) {
        var field = form.querySelector("input[name=" + name + "]");
        if (field && params.get(name)) { field.value = params.get(name); }
      });
    }
    etag = null;
    refresh(search).then(schedule);
  }

  // Sorting: the column headings are links; follow them without a reload.
  live.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("a.sort");
    if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey) { return; }
    ev.preventDefault();
    go(new URL(a.href, window.location.href).search);
  });
  if (form) {
    var apply = function (ev) {
      if (ev) { ev.preventDefault(); }
      go("?" + new URLSearchParams(new FormData(form)).toString());
    };
    form.addEventListener("submit", apply);
    form.addEventListener("change", function () { apply(); });
    var q = form.querySelector("input[type=search]");
    var t = null;
    if (q) { q.addEventListener("input", function () { clearTimeout(t); t = setTimeout(apply, 300); }); }
  }
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { refresh().then(schedule); }
  });
  schedule();
})();
