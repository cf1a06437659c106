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
