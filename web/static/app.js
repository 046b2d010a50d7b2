// Progressive enhancement.  Everything works without this file (plain form posts); the CSP
// allows no inline script.
//  * Every page: Escape hides a highlight's tooltip; a tooltip near the right edge is moved
//    back inside the window.
//  * The check page (the editor): the check and re-check as you type without a reload, the
//    highlights drawn behind the textarea (from the result's <template id="layer-src">, only
//    while the text is the one that was checked), "show in draft" selects the words in the
//    textarea, "apply" and "apply all" (the core applies the fixes by id through the API,
//    refusing a draft whose hash is not the report's; applyFix, the one place that edits the
//    textarea with them), what the finding at the cursor says, and focus on the verdict after
//    a check.
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

  // -- tooltips of highlights (every page) --------------------------------------------------
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
  // A tooltip that would run off the right edge is shifted left (phones use a bottom sheet).
  function placeTip(ev) {
    var mark = ev.target && ev.target.closest ? ev.target.closest("mark.hl") : null;
    var tip = mark && mark.nextElementSibling;
    if (!tip || !tip.classList.contains("hl-tip")) { return; }
    tip.style.left = "";
    window.requestAnimationFrame(function () {
      var box = tip.getBoundingClientRect();
      var room = document.documentElement.clientWidth - 8;
      if (getComputedStyle(tip).position === "absolute" && box.right > room) {
        tip.style.left = Math.round(Math.min(0, room - box.right)) + "px";
      }
    });
  }
  document.addEventListener("mouseover", placeTip);
  document.addEventListener("focusin", placeTip);

  // -- the check page -------------------------------------------------------------------------
  var form = document.getElementById("check-form");
  var result = document.getElementById("result");
  var text = form && form.querySelector("textarea[name=text]");
  var editor = document.getElementById("editor");
  var layer = document.getElementById("hl-layer");
  if (!form || !result || !text || !editor || !layer || !window.fetch || !window.FormData) {
    return;
  }
  var live = document.getElementById("live");
  var status = document.getElementById("check-status");
  var atCursor = document.getElementById("at-cursor");
  Array.prototype.forEach.call(form.querySelectorAll(".js-only"), function (el) {
    el.hidden = false;
  });
  var grows = window.CSS && CSS.supports && CSS.supports("field-sizing", "content");

  function say(msg) { if (status) { status.textContent = msg; } }

  function autosize() {
    if (grows) { return; }
    text.style.height = "auto";
    text.style.height = text.scrollHeight + 2 + "px";
  }

  // The layer shows the result's highlights only while the textarea holds the checked text.
  function installLayer() {
    var tpl = result.querySelector("template#layer-src");
    if (!tpl) {
      layer.textContent = "";
      editor.classList.remove("stale");
      return;
    }
    var checked = tpl.content.textContent;
    var value = text.value;
    if (checked === value || (checked === value + " " && /\n$/.test(value))) {
      layer.textContent = "";
      layer.appendChild(tpl.content.cloneNode(true));
      editor.classList.remove("stale");
      result.classList.remove("stale");
    } else {
      editor.classList.add("stale");
    }
  }

  function stale() {
    editor.classList.add("stale");
    result.classList.add("stale");
    if (atCursor) { atCursor.hidden = true; }
  }

  // Where a UTF-16 offset of the text is on screen: the same offset in the layer's text.
  function rectAt(offset) {
    var walker = document.createTreeWalker(layer, NodeFilter.SHOW_TEXT);
    var node, seen = 0;
    while ((node = walker.nextNode())) {
      if (seen + node.length >= offset) {
        var range = document.createRange();
        var at = Math.max(0, Math.min(node.length, offset - seen));
        range.setStart(node, at);
        range.setEnd(node, Math.min(node.length, at + 1));
        return range.getBoundingClientRect();
      }
      seen += node.length;
    }
    return text.getBoundingClientRect();
  }

  // "Show in draft": select the words in the textarea and bring them into view.
  function select(start, end) {
    text.focus({ preventScroll: true });
    text.setSelectionRange(start, end);
    var box = rectAt(start);
    if (box.top < 0 || box.bottom > window.innerHeight) {
      window.scrollBy({ top: box.top - window.innerHeight / 3 });
    }
    explain();
  }

  // A code-point offset of the server (Python) as a UTF-16 offset of ``s``.
  function u16(s, offset) {
    var i = 0;
    for (var n = 0; n < offset && i < s.length; n++) {
      var c = s.charCodeAt(i);
      i += (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.length) ? 2 : 1;
    }
    return i;
  }

  // The one place the textarea is edited with fixes: what the core applied (the API's
  // answer to "apply": the fixes, in the checked text's offsets, and the new text).
  function applyFix(answer) {
    var before = text.value;
    var done = (answer.applied || []).slice().sort(function (a, b) { return b.start - a.start; });
    done.forEach(function (fix) {   // last first, so the earlier offsets stay valid
      text.setRangeText(fix.replacement, u16(before, fix.start), u16(before, fix.end), "end");
    });
    if (text.value !== answer.text) { text.value = answer.text; }
    text.focus();
    autosize();
    stale();
  }

  // "Apply" / "apply all": ask the core (POST /api/v1/check with the ids and the hash of the
  // checked draft), edit the textarea with its answer and check again.
  function applyIds(ids) {
    var data = new FormData(form);
    say("Applying\u2026");
    fetch(form.dataset.applyUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: text.value, kind: data.get("kind"), company: data.get("company"),
                             apply: ids, hash: data.get("hash") || undefined })
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; })   // an error page that is not JSON
        .then(function (body) { return { ok: resp.ok, status: resp.status, body: body }; });
    }).then(function (r) {
      if (!r.ok) {   // the draft changed since its report (409), or a fix is gone: check again
        recheck({ force: true, after: (r.body && r.body.error ? r.body.error + " " : "") });
        return;
      }
      applyFix(r.body);
      var n = (r.body.applied || []).length;
      recheck({ force: true, after: "Applied " + n + (n === 1 ? " fix" : " fixes") + ". " });
    }).catch(function () {
      say("Could not reach the checker; use the Check draft button.");
    });
  }

  // What the finding at the cursor says, under the editor.
  function explain() {
    if (!atCursor) { return; }
    var items = result.querySelectorAll("li.finding");
    Array.prototype.forEach.call(items, function (li) { li.classList.remove("current"); });
    if (editor.classList.contains("stale") || document.activeElement !== text) {
      atCursor.hidden = true;
      return;
    }
    var pos = text.selectionStart;
    var hit = null;
    Array.prototype.some.call(items, function (li) {
      var s = +li.getAttribute("data-start16"), e = +li.getAttribute("data-end16");
      if (e > s && pos >= s && pos <= e) { hit = li; return true; }
      return false;
    });
    if (!hit) { atCursor.hidden = true; return; }
    hit.classList.add("current");
    var label = hit.querySelector(".label"), msg = hit.querySelector(".msg");
    var sugg = hit.querySelector(".sugg");
    atCursor.textContent = (label ? label.textContent + ": " : "") + (msg ? msg.textContent : "") +
      (sugg ? " " + sugg.textContent : "");
    atCursor.hidden = false;
  }

  var controller = null;
  var lastSent = null;

  function recheck(opts) {
    opts = opts || {};
    if (!text.value.trim()) { return; }
    var data = new FormData(form);
    data.delete("apply");
    var key = [data.get("text"), data.get("kind"), data.get("company")].join("\u0000");
    if (key === lastSent && !opts.force) { return; }
    lastSent = key;
    if (controller) { controller.abort(); }
    controller = window.AbortController ? new AbortController() : null;
    say(opts.before || "Checking\u2026");
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
      result.classList.remove("stale");
      installLayer();
      var verdict = result.querySelector("#verdict");
      var problem = result.querySelector(".error-message");
      say(verdict ? (opts.after || "") + "Checked: " + verdict.textContent.replace(/\s+/g, " ").trim()
                  : (problem ? problem.textContent.trim()
                             : "Could not check the draft; try the Check draft button again."));
      if (opts.focus) {
        (verdict || problem || result).focus();
      }
    }).catch(function (err) {
      if (err && err.name === "AbortError") { return; }
      say("Could not reach the checker; use the Check draft button.");
    });
  }

  form.addEventListener("submit", function (ev) {
    var by = ev.submitter;
    if (by && by.classList.contains("apply")) {
      ev.preventDefault();
      if (result.classList.contains("stale")) { recheck({ force: true }); return; }
      applyIds((by.getAttribute("data-ids") || "").split(" ").filter(Boolean));
      return;
    }
    if (by && by.getAttribute("formaction")) { return; }   // "I sent it today": a real post
    ev.preventDefault();
    recheck({ force: true, focus: true });
  });

  result.addEventListener("click", function (ev) {
    var show = ev.target.closest && ev.target.closest("a.show[data-start16]");
    if (!show) { return; }
    ev.preventDefault();
    select(+show.getAttribute("data-start16"), +show.getAttribute("data-end16"));
  });

  var later = debounce(recheck, 700);
  text.addEventListener("input", function () {
    autosize();
    stale();
    if (!live || live.checked) { later(); }
  });
  form.addEventListener("change", function (ev) {
    if (ev.target !== live && ev.target !== text && (!live || live.checked)) { later(); }
  });
  document.addEventListener("selectionchange", function () {
    if (document.activeElement === text) { explain(); }
  });
  text.addEventListener("blur", function () { if (atCursor) { atCursor.hidden = true; } });

  autosize();
  installLayer();
})();
