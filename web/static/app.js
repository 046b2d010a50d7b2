// Progressive enhancement for the check page: re-check as you type, Escape hides a tooltip.
// Everything works without this file (plain form posts); the CSP allows no inline script.
(function () {
  "use strict";

  function debounce(fn, ms) {
    var t = null;
    return function () {
      var args = arguments;
      clearTimeout(t);
      t = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  // Escape hides the tooltip of the focused highlight (WCAG 1.4.13: dismissible).
  document.addEventListener("keydown", function (ev) {
    var el = document.activeElement;
    if (ev.key === "Escape" && el && el.matches && el.matches("mark.hl")) {
      el.classList.add("tip-dismissed");
    }
  });
  document.addEventListener("focusout", function (ev) {
    if (ev.target && ev.target.classList) { ev.target.classList.remove("tip-dismissed"); }
  });

  var form = document.getElementById("check-form");
  var result = document.getElementById("result");
  if (!form || !result || !window.fetch || !window.FormData) { return; }

  var text = form.querySelector("textarea[name=text]");
  var live = document.getElementById("live");
  var status = document.getElementById("check-status");
  Array.prototype.forEach.call(form.querySelectorAll(".js-only"), function (el) {
    el.hidden = false;
  });

  var controller = null;
  var lastSent = null;

  function say(msg) { if (status) { status.textContent = msg; } }

  function recheck() {
    if (!text.value.trim()) { return; }
    var data = new FormData(form);
    var key = [data.get("text"), data.get("kind"), data.get("company")].join("\u0000");
    if (key === lastSent) { return; }
    lastSent = key;
    if (controller) { controller.abort(); }
    controller = window.AbortController ? new AbortController() : null;
    say("Checking\u2026");
    fetch(form.dataset.fragmentUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
      signal: controller ? controller.signal : undefined
    }).then(function (resp) {
      return resp.text().then(function (html) { return { ok: resp.ok, status: resp.status, html: html }; });
    }).then(function (r) {
      // The server escapes every user string; the fragment is our own template.
      result.innerHTML = r.html;
      var verdict = result.querySelector(".verdict");
      say(verdict ? "Checked: " + verdict.textContent.replace(/\s+/g, " ").trim()
                  : (r.ok ? "Checked." : "Could not check the draft (" + r.status + ")."));
    }).catch(function (err) {
      if (err && err.name === "AbortError") { return; }
      say("Could not reach the checker; use the Check draft button.");
    });
  }

  var later = debounce(recheck, 700);
  text.addEventListener("input", function () { if (!live || live.checked) { later(); } });
  form.addEventListener("change", function (ev) {
    if (ev.target !== live && (!live || live.checked)) { later(); }
  });
})();
