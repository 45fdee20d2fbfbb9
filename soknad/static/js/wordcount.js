/* Live word counter. The rule is the server's (soknad/domain/text.py):
   a word is a run of characters between separators that contains a letter or a digit;
   separators are all spaces and line breaks, including the non-breaking space;
   the soft hyphen never splits a word. Keep SEPARATORS identical to text.py. */
(function () {
  "use strict";

  var SEPARATORS = /[\t\n\u000b\u000c\r \u0085\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+/u;
  var WORD = /[\p{L}\p{N}]/u;

  function countWords(text) {
    var tokens = text.replace(/\u00ad/g, "").split(SEPARATORS);
    var count = 0;
    for (var i = 0; i < tokens.length; i++) {
      if (tokens[i] && WORD.test(tokens[i])) { count++; }
    }
    return count;
  }
  window.soknadCountWords = countWords;

  function attach(area) {
    var max = parseInt(area.getAttribute("data-max-words"), 10);
    var counter = document.getElementById(area.getAttribute("data-counter"));
    if (!counter) { return; }
    var timer = null;
    function update() {
      var words = countWords(area.value);
      var text = words + " av høyst " + max + " ord";
      if (words > max) { text += " – fjern " + (words - max) + " ord"; }
      counter.textContent = text;
      counter.classList.toggle("over", words > max);
    }
    area.addEventListener("input", function () {
      // Update at once visually; the counter is not a live region, so a screen reader hears it
      // through aria-describedby when it asks, not at every keystroke.
      window.clearTimeout(timer);
      timer = window.setTimeout(update, 50);
    });
    update();
  }

  document.querySelectorAll("textarea[data-max-words]").forEach(attach);
})();
