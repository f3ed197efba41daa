//! `cargo bench --bench diff`: `cutoff diff` on shipped scenario pairs over the default
//! population (the frontier provider's), the two scenarios already loaded: regions,
//! absent combinations and their confirming simulation.

use criterion::{Criterion, criterion_group, criterion_main};
use cutoff_engine::analysis::diff::{Side, diff};
use cutoff_engine::load::{NativeFileSystem, load_scenario_file};
use cutoff_engine::{Prepared, prepare};

fn load(name: &str) -> Prepared {
    let path = format!(
        "{}/../../policies/{name}.scenario.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    prepare(load_scenario_file(&path, &NativeFileSystem))
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("diff");
    group.sample_size(20);
    for (a, b) in [
        (
            "friday-letter/complies-exactly",
            "friday-letter/reading-772",
        ),
        ("friday-letter/complies-exactly", "friday-letter/geofence"),
        (
            "alternatives/deemed-export",
            "alternatives/defender-carve-out",
        ),
    ] {
        let (mut a_prepared, mut b_prepared) = (load(a), load(b));
        let (Some(day_a), Some(day_b)) = (a_prepared.scenario.as_of, b_prepared.scenario.as_of)
        else {
            return;
        };
        let name = format!("{a} vs {b}").replace('/', ":");
        group.bench_function(name, |bencher| {
            bencher.iter(|| {
                diff(
                    Side {
                        scenario: &mut a_prepared.scenario,
                        as_of: day_a,
                    },
                    Side {
                        scenario: &mut b_prepared.scenario,
                        as_of: day_b,
                    },
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
