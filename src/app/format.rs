//! Number formatting for people counts.

/// A weight with thousands separators; whole numbers without decimals.
pub fn people(value: f64) -> String {
    if value.fract() != 0.0 || value.abs() >= 1e15 {
        return format!("{value:.1}");
    }
    let digits = format!("{}", value.abs() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if value < 0.0 { format!("-{out}") } else { out }
}

/// The exact value for a `data-value` attribute.
pub fn exact(value: f64) -> String {
    format!("{value}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_people() {
        assert_eq!(super::people(1234567.0), "1,234,567");
        assert_eq!(super::people(12.5), "12.5");
        assert_eq!(super::exact(25.0), "25");
    }
}
