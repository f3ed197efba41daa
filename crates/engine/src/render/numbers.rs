//! How weights are written for people to read: whole people with thousands separators,
//! and one decimal only for small fractional values. Exact values stay in the JSON and the
//! app's `data-value` attributes.

/// A weight for display: `1,234,567`, `12`, `0.4`.
pub fn people(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let rounded = value.round();
    if (value - rounded).abs() > 0.05 && value.abs() < 10.0 {
        return format!("{value:.1}");
    }
    let digits = format!("{}", rounded.abs() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if rounded < 0.0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::people;

    #[test]
    fn rounds_to_whole_people_with_separators() {
        assert_eq!(people(1_234_567.0), "1,234,567");
        assert_eq!(people(199_999.999_7), "200,000");
        assert_eq!(people(12.5), "13");
        assert_eq!(people(0.4), "0.4");
        assert_eq!(people(0.0), "0");
        assert_eq!(people(999.0), "999");
    }
}
