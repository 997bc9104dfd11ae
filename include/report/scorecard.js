/* Filters of the ANTT scorecard: by district, by level and by status at that level.
   The state lives in the URL hash (#district=847&level=NTM&status=KHONG_DAT) so a view can be
   shared; #xa-29410 opens that commune's panel. No network, no library. */
(function () {
  "use strict";
  var doc = document.documentElement;
  doc.classList.add("js");
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
  var district = $("#f-district"), level = $("#f-level"), status = $("#f-status");
  var total = $$("table.heatmap tbody tr").length;

  function parseHash() {
    var out = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) { out[decodeURIComponent(kv.slice(0, i))] = decodeURIComponent(kv.slice(i + 1)); }
    });
    return out;
  }
  function setSelect(select, value) {
    if (!value) { return; }
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) { select.value = value; }
    }
  }
  function apply(writeHash) {
    var d = district.value, l = level.value, s = status.value;
    status.disabled = !l;
    if (!l) { s = ""; }
    var shown = 0;
    $$("table.heatmap tbody tr").forEach(function (tr) {
      var ok = (!d || tr.dataset.district === d) && (!s || tr.getAttribute("data-st-" + l) === s);
      tr.hidden = !ok;
      if (ok) { shown++; }
    });
    $$("[data-levels]").forEach(function (cell) {
      cell.hidden = !!l && (" " + cell.dataset.levels + " ").indexOf(" " + l + " ") < 0;
    });
    $$("[data-level-col]").forEach(function (cell) {
      cell.hidden = !!l && cell.dataset.levelCol !== l;
    });
    $$(".district-block").forEach(function (block) {
      block.hidden = !$$("table.heatmap tbody tr", block).some(function (tr) { return !tr.hidden; });
    });
    $$("tr.district-row, details.district").forEach(function (el) {
      el.hidden = !!d && el.dataset.district !== d;
    });
    $$("details.commune").forEach(function (panel) {
      var row = document.getElementById("row-" + panel.id);
      panel.hidden = !!row && row.hidden;
    });
    $$(".panel-group").forEach(function (group) {
      group.hidden = !$$("details.commune", group).some(function (p) { return !p.hidden; });
    });
    $("#shown-count").textContent = "Đang hiển thị " + shown + "/" + total +
      " xã · Showing " + shown + " of " + total + " communes";
    doc.setAttribute("data-shown", String(shown));
    if (writeHash && history.replaceState) {
      var parts = [];
      if (d) { parts.push("district=" + encodeURIComponent(d)); }
      if (l) { parts.push("level=" + encodeURIComponent(l)); }
      if (s) { parts.push("status=" + encodeURIComponent(s)); }
      history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname);
    }
  }
  function openTarget() {
    var id = location.hash.replace(/^#/, "");
    if (!/^(xa|huyen)-/.test(id)) { return; }
    var el = document.getElementById(id);
    if (el && el.tagName === "DETAILS") { el.hidden = false; el.open = true; el.scrollIntoView(); }
  }
  [district, level, status].forEach(function (sel) {
    sel.addEventListener("change", function () { apply(true); });
  });
  $("#f-reset").addEventListener("click", function () {
    district.value = ""; level.value = ""; status.value = ""; apply(true);
  });
  function expand(open) {
    $$("details.commune, details.district").forEach(function (el) { el.open = open; });
  }
  $("#f-expand").addEventListener("click", function () {
    expand(!$$("details.commune").every(function (el) { return el.open; }));
  });
  window.addEventListener("hashchange", openTarget);

  var wasOpen = [];
  window.addEventListener("beforeprint", function () {
    wasOpen = $$("details").map(function (el) { return el.open; });
    $$("details").forEach(function (el) { el.open = true; });
  });
  window.addEventListener("afterprint", function () {
    $$("details").forEach(function (el, i) { el.open = !!wasOpen[i]; });
  });

  var state = parseHash();
  setSelect(district, state.district);
  setSelect(level, state.level);
  setSelect(status, state.status);
  apply(false);
  if (state.open === "all") { expand(true); }
  openTarget();
  doc.setAttribute("data-ready", "1");
}());
