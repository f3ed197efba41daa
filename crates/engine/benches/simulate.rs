//! `cargo bench --bench simulate`: decides and aggregates generated populations of 10k,
//! 100k and 1M records under the Friday letter with a geofencing response, and reports
//! decisions per second (criterion's "elements").

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use cutoff_engine::aggregate::simulate;
use cutoff_engine::analysis::generate::{self, BENCH_SCENARIO};
use cutoff_engine::load::{MemoryFileSystem, load_scenario};
use cutoff_engine::prepare;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("simulate");
    group.sample_size(10);
    for records in [10_000, 100_000, 1_000_000] {
        let mut fs = MemoryFileSystem::default();
        fs.insert("people.csv", generate::generate_population(records, 42));
        let prepared = prepare(load_scenario("bench.toml", BENCH_SCENARIO, &fs));
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
