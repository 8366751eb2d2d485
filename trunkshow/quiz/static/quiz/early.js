// Loaded (classic, not a module) before the page is drawn: marks the page as
// one that will run quiz.js, so its CSS draws one question per screen from the
// first paint. Without scripts, or without modules, the class is never set and
// the quiz stays one long form that works the same.
if ("noModule" in HTMLScriptElement.prototype) document.documentElement.classList.add("js");
