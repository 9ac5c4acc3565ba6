/* The online form: hides the questions and sections that do not apply (XLSForm "relevant").
 * The page works without this script: the server drops answers to questions that do not apply
 * and checks everything else (parindex.surveys.check_submission). Each data-relevant holds the
 * expression as the core read it ([kind, value, ...args], parindex.surveys.submission
 * .expression_data); this walks that tree with XPath 1.0's meaning, as the core's evaluator. */
(function () {
  "use strict";
  var NUMBER = /^\s*-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*$/;

  function num(v) {
    if (typeof v === "boolean") { return v ? 1 : 0; }
    if (typeof v === "number") { return v; }
    return NUMBER.test(v) ? parseFloat(v) : NaN;
  }
  function text(v) {
    if (typeof v === "boolean") { return v ? "true" : "false"; }
    if (typeof v === "number") {
      if (isNaN(v)) { return "NaN"; }
      if (!isFinite(v)) { return v > 0 ? "Infinity" : "-Infinity"; }
      return String(v);
    }
    return v;
  }
  function truth(v) {
    if (typeof v === "number") { return !isNaN(v) && v !== 0; }
    return Boolean(v);
  }
  function equal(a, b) {
    if (typeof a === "boolean" || typeof b === "boolean") { return truth(a) === truth(b); }
    if (typeof a === "number" || typeof b === "number") { return num(a) === num(b); }
    return a === b;
  }
  function divide(a, b) {
    if (b !== 0) { return a / b; }
    if (a === 0 || isNaN(a)) { return NaN; }
    return (a > 0) === (1 / b > 0) ? Infinity : -Infinity;
  }
  function modulo(a, b) {
    if (b === 0 || !isFinite(a) || isNaN(b)) { return NaN; }
    return a % b;
  }
  function words(v) { return text(v).split(/\s+/).filter(Boolean); }
  function call(name, values, node) {
    switch (name) {
      case "true": return true;
      case "false": return false;
      case "not": return !truth(values[0]);
      case "selected": return words(values[0]).indexOf(text(values[1]).trim()) >= 0;
      case "count-selected": return words(values[0]).length;
      case "string-length": return Array.from(text(values[0])).length;  // code points
      case "regex":
        try { return new RegExp("^(?:" + node[3][1] + ")$").test(text(values[0])); }
        catch (e) { return true; }  // the server decides
    }
    return true;
  }
  function evaluate(node, answer) {
    var kind = node[0], args = node.slice(2);
    switch (kind) {
      case "ref": return answer(node[1]);
      case "current": return "";
      case "number": return parseFloat(node[1]);
      case "string": return node[1];
      case "call": return call(node[1], args.map(function (a) { return evaluate(a, answer); }), node);
      case "neg": return -num(evaluate(args[0], answer));
      case "or": return truth(evaluate(args[0], answer)) || truth(evaluate(args[1], answer));
      case "and": return truth(evaluate(args[0], answer)) && truth(evaluate(args[1], answer));
    }
    var l = evaluate(args[0], answer), r = evaluate(args[1], answer);
    switch (kind) {
      case "=": return equal(l, r);
      case "!=": return !equal(l, r);
      case "<": return num(l) < num(r);
      case "<=": return num(l) <= num(r);
      case ">": return num(l) > num(r);
      case ">=": return num(l) >= num(r);
      case "+": return num(l) + num(r);
      case "-": return num(l) - num(r);
      case "*": return num(l) * num(r);
      case "div": return divide(num(l), num(r));
      case "mod": return modulo(num(l), num(r));
    }
    return true;
  }

  // For the tests (tests/browser/test_online_form.py): the tree's truth under given answers.
  window.parindexRelevant = function (tree, answers) {
    return truth(evaluate(tree, function (name) { return answers[name] || ""; }));
  };
  var form = document.querySelector(".answer__form");
  if (!form) { return; }
  var items = {};
  form.querySelectorAll("[data-name]").forEach(function (el) { items[el.dataset.name] = el; });
  function shown(el) {
    for (var at = el; at && at !== form; at = at.parentElement) {
      if (at.hidden) { return false; }
    }
    return true;
  }
  function answer(name) {
    var el = items[name];
    if (!el) { return ""; }
    if (el.dataset.value !== undefined) { return el.dataset.value; }
    if (!shown(el)) { return ""; }  // a question that does not apply is blank, as on the server
    var inputs = el.querySelectorAll("input, textarea");
    if (el.dataset.kind === "select_one" || el.dataset.kind === "select_multiple") {
      var picked = [];
      inputs.forEach(function (i) { if (i.checked) { picked.push(i.value); } });
      return picked.join(" ");
    }
    return inputs.length ? inputs[0].value.trim() : "";
  }
  var conditional = [];
  form.querySelectorAll("[data-relevant]").forEach(function (el) {
    conditional.push([el, JSON.parse(el.dataset.relevant)]);
  });
  function update() {
    conditional.forEach(function (pair) {  // in the page's order, as the server checks
      pair[0].hidden = !truth(evaluate(pair[1], answer));
    });
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
