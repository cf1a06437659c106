// stepline console: live updates of a running execution's page. The page is complete
// without this script; it only saves a reload. It asks the server for the execution's
// status, each state's outcome and the events it has not shown yet, once a second,
// until the execution ends.
(function () {
  "use strict";

  var POLL_MS = 1000;

  function badge(label) {
    var span = document.createElement("span");
    span.className = "badge tone-" + label.tone;
    var icon = document.createElement("span");
    icon.className = "badge-icon";
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = label.icon;
    span.appendChild(icon);
    span.appendChild(document.createTextNode(label.text));
    return span;
  }

  function setText(id, text) {
    var el = document.getElementById(id);
    if (el) { el.textContent = text; }
  }

  // updateStates recolours the graph: each node's class carries its tone and its
  // status line says the same in words.
  function updateStates(states) {
    var nodes = document.querySelectorAll("svg.graph g.node[data-state]");
    for (var i = 0; i < nodes.length; i++) {
      var g = nodes[i];
      var s = states[g.getAttribute("data-state")];
      if (!s) { continue; }
      g.setAttribute("class", g.getAttribute("class").replace(/\s*tone-\w+/g, "") + " tone-" + s.tone);
      var line = g.querySelector(".node-status");
      if (line) { line.textContent = " · " + s.icon + " " + s.text; }
    }
  }

  // updateEdges marks the transitions the execution went along, by the same rule as
  // the server's edgeTaken.
  function updateEdges(states) {
    function outcome(name) { return states[name] ? states[name].outcome : ""; }
    var edges = document.querySelectorAll("svg.graph polyline.edge");
    for (var i = 0; i < edges.length; i++) {
      var e = edges[i];
      var from = e.getAttribute("data-from"), to = e.getAttribute("data-to");
      var src = outcome(from), dst = outcome(to), taken;
      if (from === "") {
        taken = dst !== "";
      } else if (to === "") {
        taken = src === "succeeded" || src === "failed";
      } else {
        taken = dst !== "" && (src === "succeeded" || src === "caught" || src === "failed");
      }
      e.classList.toggle("taken", taken);
      e.setAttribute("marker-end", taken ? "url(#arrow-taken)" : "url(#arrow)");
    }
  }

  function appendEvents(events) {
    var body = document.getElementById("events");
    if (!body) { return; }
    events.forEach(function (ev) {
      var tr = document.createElement("tr");
      var cells = [String(ev.id), ev.type, ev.timestamp];
      cells.forEach(function (text, i) {
        var td = document.createElement("td");
        td.textContent = text;
        if (i === 0) { td.className = "num"; }
        if (i === 2) { td.className = "nowrap"; }
        tr.appendChild(td);
      });
      var td = document.createElement("td");
      if (ev.details) {
        var det = document.createElement("details");
        var sum = document.createElement("summary");
        sum.textContent = ev.summary || "Details";
        var pre = document.createElement("pre");
        pre.className = "code";
        pre.textContent = ev.details;
        det.appendChild(sum);
        det.appendChild(pre);
        td.appendChild(det);
      }
      tr.appendChild(td);
      body.appendChild(tr);
    });
  }

  function apply(page, data) {
    var status = document.getElementById("exec-status");
    if (status) { status.replaceChildren(badge(data.label)); }
    setText("fact-status", data.label.text);
    setText("fact-stop", data.stopDate);
    setText("fact-duration", data.status === "RUNNING" ? "running" : data.duration);
    updateStates(data.states || {});
    updateEdges(data.states || {});
    var after = Number(page.getAttribute("data-after"));
    if (after > 0 && data.events && data.events.length) {
      appendEvents(data.events);
      page.setAttribute("data-after", String(data.events[data.events.length - 1].id));
    }
    page.setAttribute("data-status", data.status);
    if (data.status === "RUNNING") { return; }
    var stop = document.getElementById("stop-form");
    if (stop) { stop.hidden = true; }
    if (data.error || data.cause) {
      setText("exec-error", data.error || "");
      setText("exec-cause", data.cause || "");
      document.getElementById("exec-error-fact").hidden = !data.error;
      document.getElementById("exec-cause-fact").hidden = !data.cause;
      document.getElementById("failure").hidden = false;
    }
    var out = document.getElementById("exec-output");
    var none = document.getElementById("exec-no-output");
    if (data.output !== undefined && out) {
      out.textContent = data.output;
      out.hidden = false;
      if (none) { none.hidden = true; }
    } else if (none) {
      none.textContent = "No output: the execution did not succeed.";
    }
  }

  function poll(page) {
    var url = page.getAttribute("data-poll") + "?after=" + encodeURIComponent(page.getAttribute("data-after"));
    fetch(url, { headers: { "Accept": "application/json" }, cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error("HTTP " + r.status)); })
      .then(function (data) {
        apply(page, data);
        if (data.status === "RUNNING") { setTimeout(function () { poll(page); }, POLL_MS); }
      })
      .catch(function () {
        // The server may be restarting; try again a little later.
        setTimeout(function () { poll(page); }, POLL_MS * 3);
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var page = document.getElementById("execution");
    if (page && page.getAttribute("data-status") === "RUNNING") {
      setTimeout(function () { poll(page); }, POLL_MS);
    }
    var stop = document.getElementById("stop-form");
    if (stop) {
      stop.addEventListener("submit", function (e) {
        if (!window.confirm("Stop this execution? It ends as Aborted.")) { e.preventDefault(); }
      });
    }
  });
})();

// Pipeline page: stages, their controls and the history update in place. The page
// carries a fingerprint of the pipeline's state as rendered; the script asks /poll for
// the current one every two seconds and, when it differs, fetches the page and swaps
// the live part, unless the user is in the middle of a form there (an open control or
// a focused field), in which case it tries again at the next poll.
(function () {
  "use strict";

  var POLL_MS = 2000;

  function busy(live) {
    if (live.querySelector("details.control[open]")) { return true; }
    var el = document.activeElement;
    return !!(el && live.contains(el) && /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function swap(live) {
    return fetch(live.getAttribute("data-page"), { headers: { "Accept": "text/html" }, cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(new Error("HTTP " + r.status)); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("pipeline-live");
        if (!fresh || busy(live)) { return false; }
        // Action details a person opened stay open.
        var open = Array.prototype.map.call(live.querySelectorAll("details[id][open]"), function (d) { return d.id; });
        live.replaceChildren.apply(live, Array.prototype.slice.call(fresh.childNodes).map(function (n) {
          return document.importNode(n, true);
        }));
        open.forEach(function (id) {
          var d = document.getElementById(id);
          if (d) { d.open = true; }
        });
        var v = doc.getElementById("pipeline-version"), cur = document.getElementById("pipeline-version");
        if (v && cur) { cur.textContent = v.textContent; }
        return true;
      });
  }

  function poll(live, seen) {
    fetch(live.getAttribute("data-poll"), { headers: { "Accept": "application/json" }, cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error("HTTP " + r.status)); })
      .then(function (data) {
        if (data.state === seen || busy(live)) { return seen; }
        return swap(live).then(function (done) { return done ? data.state : seen; });
      })
      .catch(function () { return seen; })
      .then(function (next) {
        live.setAttribute("data-state", next || "");
        setTimeout(function () { poll(live, next); }, POLL_MS);
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var live = document.getElementById("pipeline-live");
    if (live) { setTimeout(function () { poll(live, live.getAttribute("data-state")); }, POLL_MS); }
  });
})();

// Create pipeline: show only the fields of the chosen source and action provider.
// Without the script every field shows and the server reads the chosen ones.
(function () {
  "use strict";

  function follow(select, attr) {
    function show() {
      var els = document.querySelectorAll("[" + attr + "]");
      for (var i = 0; i < els.length; i++) {
        els[i].hidden = els[i].getAttribute(attr) !== select.value;
      }
    }
    select.addEventListener("change", show);
    show();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("new-pipeline");
    if (!form) { return; }
    follow(form.querySelector("#source"), "data-when-source");
    follow(form.querySelector("#provider"), "data-when-provider");
  });
})();

// Lists marked data-refresh (the pipelines list) fetch their page again every few
// seconds and swap the marked element when it changed, so statuses stay current
// without a reload.
(function () {
  "use strict";

  function refresh(el, ms) {
    setTimeout(function () {
      fetch(window.location.href, { headers: { "Accept": "text/html" }, cache: "no-store" })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(new Error("HTTP " + r.status)); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(el.id);
          if (fresh && fresh.innerHTML !== el.innerHTML && !el.contains(document.activeElement)) {
            el.innerHTML = fresh.innerHTML;
          }
        })
        .catch(function () {})
        .then(function () { refresh(el, ms); });
    }, ms);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var els = document.querySelectorAll("[data-refresh][id]");
    for (var i = 0; i < els.length; i++) {
      refresh(els[i], Number(els[i].getAttribute("data-refresh")) || 5000);
    }
  });
})();

// The pipeline page's controls are <details> whose <summary> acts as a button; the
// button's aria-expanded follows the details' open state.
document.addEventListener("toggle", function (e) {
  "use strict";
  var d = e.target;
  if (d.tagName !== "DETAILS" || !d.classList.contains("control")) { return; }
  var s = d.querySelector("summary[role=button]");
  if (s) { s.setAttribute("aria-expanded", d.open ? "true" : "false"); }
}, true);
