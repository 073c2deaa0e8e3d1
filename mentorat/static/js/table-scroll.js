/* Tables wider than the screen scroll inside their own region (`.table-wrap`, or
 * `.table-scroll` in new templates). A region that scrolls must be reachable from the
 * keyboard (WCAG 2.1.1): this makes each one that actually scrolls a focusable, named
 * region (named by the table's caption, or the heading just before it), and gives it the
 * `is-scrolling` class. Without JavaScript the tables still scroll, with the same visual
 * cue (shadows on the side that has more columns), and current browsers let the keyboard
 * focus a scroller themselves. */
(function () {
  "use strict";

  var counter = 0;

  function labelFor(region) {
    var caption = region.querySelector("caption");
    if (caption) {
      return caption;
    }
    var previous = region.previousElementSibling;
    while (previous && !/^H[1-6]$/.test(previous.tagName)) {
      previous = previous.previousElementSibling;
    }
    return previous;
  }

  function update(region) {
    var scrolls = region.scrollWidth > region.clientWidth + 1;
    region.classList.toggle("is-scrolling", scrolls);
    if (!scrolls) {
      if (region.dataset.madeFocusable) {
        region.removeAttribute("tabindex");
      }
      return;
    }
    if (!region.hasAttribute("tabindex")) {
      region.setAttribute("tabindex", "0");
      region.dataset.madeFocusable = "1";
    }
    if (!region.hasAttribute("role")) {
      region.setAttribute("role", "region");
    }
    if (!region.hasAttribute("aria-label") && !region.hasAttribute("aria-labelledby")) {
      var label = labelFor(region);
      if (label) {
        if (!label.id) {
          counter += 1;
          label.id = "scroll-region-label-" + counter;
        }
        region.setAttribute("aria-labelledby", label.id);
      } else {
        region.setAttribute("aria-label", document.title);
      }
    }
  }

  function updateAll() {
    document.querySelectorAll(".table-wrap, .table-scroll").forEach(update);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", updateAll);
  } else {
    updateAll();
  }
  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(updateAll, 150);
  });
  document.addEventListener("htmx:afterSettle", updateAll);
})();
