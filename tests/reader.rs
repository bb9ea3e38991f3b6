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
    let index: Value = serde_json::from_str(&read(&output.join("data/search-index.json"))).unwrap();
    let urls: Vec<&str> = index.as_array().unwrap().iter().map(|d| d["u"].as_str().unwrap()).collect();
    assert!(urls.contains(&"/employers/northgate-rail/"));
    assert!(urls.contains(&"/stories/levy-that-travels/"));
    assert!(urls.contains(&"/about/"));
    let compare: Value = serde_json::from_str(&read(&output.join("data/compare.json"))).unwrap();
    assert_eq!(compare.as_array().unwrap().len(), 14);
    assert_eq!(compare[0]["rows"].as_array().unwrap().len(), 7);
    let page = read(&output.join("compare/index.html"));
    assert!(
        page.contains("<noscript>") && page.contains("href=\"/employers/northgate-rail/\""),
        "works as links without JS"
    );
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
