// One page of every page type of the example site, by name: the browser tests open each at
// every width, and Lighthouse scores each (but the second employer page, of the same type).
export const PAGES = {
  home: "",
  directory: "employers/",
  scorecard: "employers/northgate-rail/",
  "small-employer": "employers/tyne-street-bakery/",
  sector: "sectors/engineering-and-manufacturing/",
  story: "stories/levy-that-travels/",
  stories: "stories/",
  theme: "themes/advocacy/",
  search: "search/",
  compare: "compare/",
  methodology: "methodology/",
  about: "about/",
  "not-found": "404.html",
};
