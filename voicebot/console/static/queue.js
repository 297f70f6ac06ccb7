// Live operator queue: poll queue.json every 2 s and redraw the table, no page reload.
(function () {
  "use strict";
  var table = document.getElementById("queue-body");
  if (!table) { return; }
  var csrf = table.getAttribute("data-csrf");
  // the page's language: labels rendered by the server
  var say = { claim: table.getAttribute("data-claim") || "Claim", yes: table.getAttribute("data-yes") || "yes",
              no: table.getAttribute("data-no") || "no" };
  var intents = {};
  try { intents = JSON.parse(table.getAttribute("data-intents") || "{}"); } catch (e) { intents = {}; }
  function mmss(s) { var m = Math.floor(s / 60), r = s % 60; return m + ":" + (r < 10 ? "0" : "") + r; }
  function cell(tr, text) { var td = document.createElement("td"); td.textContent = text; tr.appendChild(td); return td; }
  function draw(data) {
    var rows = [];
    data.waiting.forEach(function (t, i) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-ticket", t.number);
      cell(tr, String(i + 1));
      cell(tr, t.number);
      cell(tr, mmss(t.waited_s)).className = "waited";
      cell(tr, t.language);
      cell(tr, intents[t.intent] || t.intent);
      cell(tr, t.case_number);
      cell(tr, t.verified ? say.yes : say.no);
      var td = cell(tr, "");
      var form = document.createElement("form");
      form.method = "post"; form.className = "inline";
      form.action = "/operator/tickets/" + encodeURIComponent(t.number) + "/claim";
      var hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.name = "csrf_token"; hidden.value = csrf;
      var button = document.createElement("button");
      button.type = "submit"; button.textContent = say.claim;
      form.appendChild(hidden); form.appendChild(button); td.appendChild(form);
      rows.push(tr);
    });
    table.replaceChildren.apply(table, rows);
    var count = document.getElementById("queue-count");
    if (count) { count.textContent = String(data.waiting.length); }
    var mine = document.getElementById("mine");
    if (mine) {
      mine.replaceChildren.apply(mine, data.mine.map(function (n) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = "/operator/tickets/" + encodeURIComponent(n); a.textContent = n;
        li.appendChild(a); return li;
      }));
    }
  }
  function poll() {
    fetch("/operator/queue.json", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (r.status === 401) { window.location = "/login?next=/operator"; } return r.json(); })
      .then(draw)
      .catch(function () { /* try again on the next tick */ });
  }
  setInterval(poll, 2000);
})();
