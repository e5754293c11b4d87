(function () {
  "use strict";
  function form(id) { return document.getElementById(id); }
  function focusFirst(f, name) {
    if (!f) { return; }
    var field = f.querySelector("[name=" + name + "]");
    if (field) { field.focus(); if (field.select) { field.select(); } }
  }
  function choose(f, criterion) {
    var select = f.querySelector("select[name=criterion]");
    if (select) { select.value = criterion; }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.override-this, button.accept-this");
    if (!button) { return; }
    if (button.classList.contains("override-this")) {
      var o = form("override-form");
      if (!o) { return; }
      choose(o, button.dataset.criterion);
      o.scrollIntoView({block: "center"});
      focusFirst(o, "points");
    } else {
      var a = form("amend-form");
      if (!a) { return; }
      choose(a, button.dataset.criterion);
      a.querySelector("[name=found]").value = button.dataset.found;
      a.querySelector("[name=expected]").value = button.dataset.expected;
      a.scrollIntoView({block: "center"});
      focusFirst(a, "credit");
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea") {
      if (event.key === "Escape") { event.target.blur(); }
      return;
    }
    var go = {n: "next", p: "previous", q: "to-queue"}[event.key];
    if (go) {
      var link = document.getElementById(go);
      if (link) { event.preventDefault(); link.click(); }
      return;
    }
    var which = {c: ["confirm-form", "examiner"], o: ["override-form", "criterion"], a: ["amend-form", "criterion"]}[event.key];
    if (which && form(which[0])) {
      event.preventDefault();
      form(which[0]).scrollIntoView({block: "center"});
      focusFirst(form(which[0]), which[1]);
    }
  });
}());
