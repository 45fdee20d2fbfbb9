/* Live word and character counters. The rules are the server's (soknad/domain/text.py and
   soknad/domain/limits.py), and tests/unit/test_counting_rules.py checks that the lists below
   are the same as there:
   - invisible characters (INVISIBLE) are removed before anything is counted, as the server
     removes them when it stores the text, so they never split a word;
   - a word is a run of characters between separators (SEPARATORS) that contains a letter or
     a digit;
   - characters are counted as code points of the text as it will be stored. */
(function () {
  "use strict";

  var INVISIBLE = /[\u00ad\u200e\u200f\ufeff]/g;
  var SEPARATORS = /[\t\n\u000b\u000c\r \u0085\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000]+/u;
  var WORD = /[\p{L}\p{N}]/u;

  var LINE_BREAKS = /\r\n|[\r\u000b\u000c\u0085\u2028\u2029]/g;
  var XML_FORBIDDEN = /[^\t\n\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

  // The text as the server stores it (text.clean): NFC, "\n" line breaks, nothing invisible.
  function stored(text) {
    return text.normalize("NFC").replace(LINE_BREAKS, "\n").replace(INVISIBLE, "")
      .replace(XML_FORBIDDEN, "").trim();
  }

  function countWords(text) {
    var tokens = stored(text).split(SEPARATORS);
    var count = 0;
    for (var i = 0; i < tokens.length; i++) {
      if (tokens[i] && WORD.test(tokens[i])) { count++; }
    }
    return count;
  }

  function countChars(text) {
    return Array.from(stored(text)).length;
  }

  function grouped(number) {
    return String(number).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  }

  window.soknadCountWords = countWords;
  window.soknadCountChars = countChars;

  // The first field over its character limit, as {field, message}, or null.
  window.soknadOverLimit = function (root) {
    var fields = root.querySelectorAll("[data-max-chars]");
    for (var i = 0; i < fields.length; i++) {
      var max = parseInt(fields[i].getAttribute("data-max-chars"), 10);
      var length = countChars(fields[i].value);
      if (length > max) {
        var label = fields[i].getAttribute("data-label") ||
          (fields[i].labels && fields[i].labels[0] ? fields[i].labels[0].textContent.trim() : "");
        return {field: fields[i], message: "«" + label + "» har " + grouped(length) +
          " tegn; høyst " + grouped(max) + " kan lagres. Kort ned teksten med " +
          grouped(length - max) + " tegn."};
      }
    }
    return null;
  };

  function attach(area, counterId, unit, count, max) {
    var counter = document.getElementById(counterId);
    if (!counter) { return; }
    var timer = null;
    function update() {
      var n = count(area.value);
      var text = grouped(n) + " av høyst " + grouped(max) + " " + unit;
      if (n > max) { text += " – fjern " + grouped(n - max) + " " + unit; }
      counter.textContent = text;
      counter.classList.toggle("over", n > max);
    }
    area.addEventListener("input", function () {
      // Update at once visually; the counter is not a live region, so a screen reader hears it
      // through aria-describedby when it asks, not at every keystroke.
      window.clearTimeout(timer);
      timer = window.setTimeout(update, 50);
    });
    update();
  }

  document.querySelectorAll("textarea[data-max-words]").forEach(function (area) {
    attach(area, area.getAttribute("data-counter"), "ord", countWords,
           parseInt(area.getAttribute("data-max-words"), 10));
  });
  document.querySelectorAll("textarea[data-char-counter]").forEach(function (area) {
    attach(area, area.getAttribute("data-char-counter"), "tegn", countChars,
           parseInt(area.getAttribute("data-max-chars"), 10));
  });
})();
