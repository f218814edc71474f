/* A note's page, enhanced: copy buttons for the citations, and today's date as
   the access date of the GB/T 7714 reference. Without this script the page reads
   the same; the buttons stay hidden and the date is the day the page was made. */
(function () {
  "use strict";

  function today() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Older browsers, and pages served over plain HTTP: copy through a selection.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (error) { done = false; }
    document.body.removeChild(area);
    return done ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function init() {
    var date = today();
    document.querySelectorAll("time.access-date").forEach(function (element) {
      element.textContent = date;
      element.setAttribute("datetime", date);
    });
    var status = document.querySelector(".copy-status");
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var target = document.getElementById(button.getAttribute("data-copy"));
      if (!target) { return; }
      var label = button.textContent;
      button.hidden = false;
      button.addEventListener("click", function () {
        copyText(target.textContent.replace(/\s+/g, " ").trim()).then(function () {
          button.textContent = button.getAttribute("data-copied");
          if (status) { status.textContent = button.getAttribute("data-copied"); }
          window.setTimeout(function () { button.textContent = label; }, 2000);
        }, function () {
          // Copying is refused: select the text so the reader can copy it by hand.
          var range = document.createRange();
          range.selectNodeContents(target);
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
        });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
