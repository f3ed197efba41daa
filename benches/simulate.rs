//! `cargo bench --bench simulate`: decides and aggregates generated populations of 10k,
//! 100k and 1M records under the Friday letter with a geofencing response, and reports
//! decisions per second (criterion's "elements").

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use cutoff::engine::load::{MemoryFileSystem, load_scenario};
use cutoff::engine::simulate::simulate;
use cutoff::engine::{generate, prepare};

const SCENARIO: &str = r#"
title = "Bench"
as_of = 2026-11-21
population = "people.csv"
[[products]]
id = "fable-5"
[[products]]
id = "mythos-5"
[[directive]]
id = "letter"
issued = 2026-11-20
products = ["fable-5", "mythos-5"]
[[directive.rules]]
effect = "allow"
when = 'segment == "researcher" and residence in group("tier1")'
[[directive.rules]]
effect = "deny"
when = "not us_person"
[[directive]]
id = "sanctions"
issued = 2026-01-01
products = ["*"]
[[directive.rules]]
effect = "deny"
when = 'nationality in group("E:1") and status == "foreign_national"'
[response]
products = ["*"]
[[response.rules]]
effect = "deny"
when = 'residence not in ["US"]'
"#;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("simulate");
    group.sample_size(10);
    for records in [10_000, 100_000, 1_000_000] {
        let mut fs = MemoryFileSystem::default();
        fs.insert("people.csv", generate::generate_population(records, 42));
        let prepared = prepare(load_scenario("bench.toml", SCENARIO, &fs));
        assert!(!prepared.has_errors(), "{:?}", prepared.diagnostics);
        let Some(compiled) = prepared.compiled.as_ref() else {
            return;
        };
        let Some(as_of) = prepared.scenario.as_of else {
            return;
        };
        let pairs = simulate(&prepared.scenario, compiled, as_of, |_| {}).pairs;
        group.throughput(Throughput::Elements(pairs));
        group.bench_function(format!("{records}_records"), |b| {
            b.iter(|| simulate(&prepared.scenario, compiled, as_of, |_| {}))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
