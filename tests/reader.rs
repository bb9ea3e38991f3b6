//! Reader-facing pages without a browser: directory orders, sector/region/size pages and their
//! aggregates, search and compare data, feed and discovery files.

mod common;
use common::*;
use serde_json::Value;

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let site = example_site();
    let out = ladder(site.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let output = site.path().join("output");
    (site, output)
}

#[test]
fn directory_is_published_in_several_orders_with_group_links() {
    let (_site, output) = built();
    let by_name = read(&output.join("employers/index.html"));
    let by_region = read(&output.join("employers/by-region/index.html"));
    let first =
        |html: &str| html.split("<th scope=\"row\"><a href=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    assert_eq!(first(&by_name), "/employers/brightwater-digital/");
    assert_eq!(first(&by_region), "/employers/trent-valley-logistics/", "East Midlands comes first");
    for html in [&by_name, &by_region] {
        assert!(html.contains("href=\"/sectors/construction/\""));
        assert!(html.contains("href=\"/regions/north-east/\""));
        assert!(html.contains("href=\"/sizes/small/\""));
        assert!(html.contains("data-filter-form hidden"), "the JS filter is hidden until the script shows it");
    }
}

#[test]
fn group_aggregates_add_up_only_published_figures() {
    let (_site, output) = built();
    let index: Value = serde_json::from_str(&read(&output.join("data/scorecards.json"))).unwrap();
    let records: Vec<Value> = index["employers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            serde_json::from_str(&read(&output.join(format!("data/employers/{}.json", e["slug"].as_str().unwrap()))))
                .unwrap()
        })
        .collect();
    let cards = serde_json::json!({ "employers": records });
    let page = read(&output.join("regions/north-east/index.html"));
    assert!(page.contains("Northgate Rail Engineering") && page.contains("Tyne Street Bakery"));
    assert!(!page.contains("Harbourside"), "only members are listed");
    let (mut wc, mut n, mut included) = (0, 0, 0);
    for e in cards["employers"].as_array().unwrap().iter().filter(|e| e["region"] == "North East") {
        let d = e["scorecard"]["representation"]["applicants"].as_array().unwrap().last().unwrap().clone();
        if let (Some(x), Some(k), false) =
            (d["cells"]["working_class"].as_u64(), d["cells"]["classified"].as_u64(), d["provisional"] == true)
        {
            wc += x;
            n += k;
            included += 1;
        }
    }
    assert!(page.contains(&format!("{wc} of {n}")), "applicants aggregate {wc} of {n} from shown cells");
    assert!(page.contains(&format!("<td>{included} of 2</td>")));
}

#[test]
fn search_and_compare_data_cover_the_site() {
    let (_site, output) = built();
    // The search index: a manifest, word files and document files (see `render::search`).
    let manifest: Value = serde_json::from_str(&read(&output.join("data/search/index.json"))).unwrap();
    assert!(!output.join("data/search-index.json").exists(), "no index of the whole site in one file");
    let docs = manifest["docs"].as_u64().unwrap() as usize;
    let per_file = manifest["per_file"].as_u64().unwrap() as usize;
    let mut urls = Vec::new();
    for n in 0..docs.div_ceil(per_file) {
        let file: Value = serde_json::from_str(&read(&output.join(format!("data/search/docs/{n}.json")))).unwrap();
        urls.extend(file.as_array().unwrap().iter().map(|d| d[1].as_str().unwrap().to_string()));
    }
    assert_eq!(urls.len(), docs);
    assert_eq!(manifest["employers"], 14);
    assert!(urls[..14].iter().all(|u| u.starts_with("/employers/")), "employers first");
    for want in ["/employers/northgate-rail/", "/stories/levy-that-travels/", "/about/", "/methodology/"] {
        assert!(urls.iter().any(|u| u == want), "{want} is in the index");
    }
    let words = manifest["words"].as_array().unwrap();
    assert!(!words.is_empty());
    for n in 0..words.len() {
        assert!(output.join(format!("data/search/words/{n}.bin")).is_file());
    }
    // No count goes into the index: the word files hold words and document numbers only, and
    // an employer's document holds its name, sector, region and headline.
    let employers: Value = serde_json::from_str(&read(&output.join("data/search/docs/0.json"))).unwrap();
    assert_eq!(employers[0][2], "Employer");
    // Compare fetches the records of the employers picked: no file of every employer's scorecard,
    // and no list of every employer in the page (the pickers search the names).
    assert!(!output.join("data/compare.json").exists(), "no whole-site compare file");
    let page = read(&output.join("compare/index.html"));
    assert!(page.contains("data-records=\"/data/employers/\"") && page.contains("data-pages=\"/employers/\""));
    assert!(page.contains("data-index=\"/data/search/index.json\""));
    assert!(!page.contains("<option") && !page.contains("northgate-rail"), "no employer listed in the page");
    assert!(page.contains("<noscript>") && page.contains("href=\"/employers/\""), "without JS: the directory");
    for slug in ["northgate-rail", "harbourside-care", "tyne-street-bakery"] {
        // What the compare script reads from each record.
        let record: Value = serde_json::from_str(&read(&output.join(format!("data/employers/{slug}.json")))).unwrap();
        let card = &record["scorecard"];
        assert!(record["name"].is_string() && record["slug"] == slug && card["headline"]["text"].is_string());
        assert_eq!(card["rows"].as_array().unwrap().len(), 7, "{slug}");
        assert!(card["rows"][0]["judgement"]["text"].is_string() && card["rows"][0]["period"].is_string());
        assert!(!card["practices"]["chapters"].as_array().unwrap().is_empty(), "{slug}");
        // Each scorecard links to compare, with itself picked.
        let scorecard = read(&output.join(format!("employers/{slug}/index.html")));
        assert!(scorecard.contains(&format!("href=\"/compare/?e={slug}\"")), "{slug} links to compare");
    }
}

#[test]
fn badge_links_back_and_feed_lists_stories() {
    let (_site, output) = built();
    let page = read(&output.join("employers/fenland-foods/index.html"));
    assert!(page.contains("&lt;a href=&quot;http://127.0.0.1:8080/employers/fenland-foods/&quot;&gt;&lt;img src=&quot;http://127.0.0.1:8080/employers/fenland-foods/badge.svg&quot;"));
    let badge = read(&output.join("employers/fenland-foods/badge.svg"));
    assert!(badge.contains("Fenland Foods") && badge.contains("2025"));
    let feed = read(&output.join("feed.xml"));
    assert_eq!(feed.matches("<entry>").count(), 11);
    assert!(feed.contains("<updated>2025-09-18T00:00:00Z</updated>"), "updated is the newest story's date");
    let robots = read(&output.join("robots.txt"));
    assert!(robots.contains("Sitemap: http://127.0.0.1:8080/sitemap.xml"));
    let sitemap = read(&output.join("sitemap.xml"));
    assert!(sitemap.contains("<loc>http://127.0.0.1:8080/sectors/retail/</loc>"));
    assert!(!sitemap.contains("404"));
}

/// The home page's picture of every employer: for each target, how many scorecards give each
/// verdict (added up here from the published records), and a way in by sector and region.
#[test]
fn the_home_page_tallies_every_scorecards_verdicts() {
    let site = example_site();
    let out = ladder(site.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let output = site.path().join("output");
    let index: Value = serde_json::from_str(&read(&output.join("data/scorecards.json"))).unwrap();
    let mut tally: std::collections::BTreeMap<String, [usize; 4]> = Default::default();
    let mut employers = 0;
    for e in index["employers"].as_array().unwrap() {
        employers += 1;
        let slug = e["slug"].as_str().unwrap();
        let record: Value = serde_json::from_str(&read(&output.join(format!("data/employers/{slug}.json")))).unwrap();
        for row in record["scorecard"]["rows"].as_array().unwrap() {
            let i = ["met", "not_met", "inconclusive", "not_assessable"]
                .iter()
                .position(|v| row["verdict"] == *v)
                .unwrap_or_else(|| panic!("verdict {}", row["verdict"]));
            tally.entry(row["title"].as_str().unwrap().to_string()).or_default()[i] += 1;
        }
    }
    let home = read(&output.join("index.html"));
    assert!(home.contains(&format!("How the {employers} employers are doing")), "{home}");
    assert!(!tally.is_empty());
    for (title, [met, not_met, inconclusive, not_assessable]) in &tally {
        let row = format!(
            "<tr><th scope=\"row\">{title}</th><td>{met}</td><td>{not_met}</td><td>{inconclusive}</td><td>{not_assessable}</td></tr>"
        );
        assert!(home.contains(&row), "{row} missing from the home page");
    }
    // Every sector and region page is reachable from the home page.
    for kind in ["sectors", "regions"] {
        for group in std::fs::read_dir(output.join(kind)).unwrap().flatten() {
            let href = format!("{kind}/{}/\"", group.file_name().to_string_lossy());
            assert!(home.contains(&href), "the home page links to {href}");
        }
    }
}

/// Every link on every page goes somewhere a crawler can follow (Lighthouse's "links are
/// crawlable"): an `<a>` with an address, never one that only a script gives an address later.
#[test]
fn every_link_has_an_address() {
    let (_site, output) = built();
    let anchors = scraper::Selector::parse("a").unwrap();
    let mut bare = Vec::new();
    for (path, bytes) in tree(&output) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = scraper::Html::parse_document(&String::from_utf8(bytes).unwrap());
        for a in html.select(&anchors) {
            let href = a.attr("href").unwrap_or("").trim();
            if href.is_empty() || href.starts_with("javascript:") {
                bare.push(format!("{path}: {}", a.html()));
            }
        }
    }
    assert_eq!(bare, Vec::<String>::new());
}

/// The 404 page, served for any missing address, is titled as what it is and claims no address
/// of its own (a canonical link to the home page tells search engines the two are one page).
#[test]
fn not_found_page_names_itself_and_claims_no_address() {
    let (_site, output) = built();
    let page = read(&output.join("404.html"));
    assert!(page.contains("<title>Page not found · Ladder"), "{}", &page[..page.len().min(600)]);
    assert!(!page.contains("rel=\"canonical\""), "no canonical link on the 404 page");
    assert!(!page.contains("og:url"), "no og:url on the 404 page");
    let home = read(&output.join("index.html"));
    assert!(home.contains("<link rel=\"canonical\" href=\"http://127.0.0.1:8080/\">"));
    assert!(home.contains("<meta property=\"og:url\" content=\"http://127.0.0.1:8080/\">"));
}
