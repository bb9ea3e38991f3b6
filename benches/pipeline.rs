//! Benchmarks of the hot stages on the example content, so regressions show:
//! `cargo bench` (or `cargo bench -- parse` for one group).
//! Whole-site comparisons with Hugo live in `bench/compare.sh`.

use criterion::{Criterion, criterion_group, criterion_main};
use ladder::model::benchmarks::BenchmarkSet;
use ladder::privacy::{self, engine::Settings};
use ladder::progress::Silent;
use ladder::scoring::{self, Params};
use ladder::site::{BuildCache, BuildOptions, prepare};
use std::hint::black_box;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(p: &str) -> String {
    std::fs::read_to_string(repo().join(p)).unwrap()
}

fn parse(c: &mut Criterion) {
    let set =
        BenchmarkSet::parse(Path::new("b.yaml"), &read("content/benchmarks/smc-apprenticeships-2021.yaml")).unwrap();
    let employer = read("content/employers/northgate-rail.yaml");
    let story = read("content/stories/from-shop-floor-to-signalling.md");
    let mut g = c.benchmark_group("parse");
    g.bench_function("employer yaml", |b| {
        b.iter(|| ladder::model::employer::parse(Path::new("e.yaml"), "e", black_box(&employer), &set, 2026).unwrap())
    });
    g.bench_function("story front matter", |b| {
        b.iter(|| {
            ladder::model::story::parse_story(Path::new("s.md"), Path::new("s.md"), "s", black_box(&story)).unwrap()
        })
    });
    let body = story.split("\n---\n").nth(1).unwrap().repeat(6);
    g.bench_function("markdown 760 words", |b| b.iter(|| ladder::load::markdown::render(black_box(&body))));
    g.finish();
}

fn score(c: &mut Criterion) {
    let set =
        BenchmarkSet::parse(Path::new("b.yaml"), &read("content/benchmarks/smc-apprenticeships-2021.yaml")).unwrap();
    let mut g = c.benchmark_group("score");
    for slug in ["northgate-rail", "tyne-street-bakery"] {
        let (e, figures) = ladder::model::employer::parse(
            Path::new("e.yaml"),
            slug,
            &read(&format!("content/employers/{slug}.yaml")),
            &set,
            2026,
        )
        .unwrap();
        g.bench_function(format!("privacy {slug}"), |b| {
            b.iter(|| privacy::publish(black_box(figures.clone()), Settings::new(10)))
        });
        let p = privacy::publish(figures, Settings::new(10));
        g.bench_function(format!("scorecard {slug}"), |b| {
            b.iter(|| scoring::score(black_box(&e), &p, &Params { benchmarks: &set, threshold: 10 }))
        });
    }
    g.finish();
}

fn render(c: &mut Criterion) {
    let opts = BuildOptions { root: repo(), ..BuildOptions::default() };
    let mut g = c.benchmark_group("site");
    g.sample_size(20);
    g.bench_function("example site, in memory", |b| {
        b.iter(|| prepare(black_box(&opts), &BuildCache::off(), &Silent).unwrap())
    });
    g.finish();
}

criterion_group!(benches, parse, score, render);
criterion_main!(benches);
