//! Number formatting for the app: display via the engine, exact values for test hooks.

pub use crate::engine::render::numbers::people;

/// The exact value for a `data-value` attribute.
pub fn exact(value: f64) -> String {
    format!("{value}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_people() {
        assert_eq!(super::exact(25.0), "25");
    }
}
