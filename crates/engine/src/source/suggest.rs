//! "Did you mean …?": the nearest known name to a misspelt one.

/// Levenshtein distance over characters, compared case-insensitively.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current.clear();
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let delete = previous.get(j + 1).copied().unwrap_or(0) + 1;
            let insert = current.get(j).copied().unwrap_or(0) + 1;
            current.push(substitute.min(delete).min(insert));
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous.last().copied().unwrap_or(0)
}

/// The candidate closest to `wrong`, if it is close enough to be a likely typo: a
/// case-insensitive match, or within a third of the word's length (at least one edit).
pub fn nearest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (wrong.chars().count() / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if candidate.eq_ignore_ascii_case(wrong) {
            return Some(candidate);
        }
        let distance = edit_distance(wrong, candidate);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// "`a`, `b` or `c`", for listing what is allowed.
pub fn one_of(names: &[&str]) -> String {
    listing(names, "or")
}

/// "`a`, `b` and `c`", for listing what is required.
pub fn all_of(names: &[&str]) -> String {
    listing(names, "and")
}

fn listing(names: &[&str], conjunction: &str) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {conjunction} {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_close_names_only() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(
            nearest("residnce", ["segment", "residence"]),
            Some("residence")
        );
        assert_eq!(nearest("Segment", ["segment"]), Some("segment"));
        assert_eq!(nearest("xyz", ["segment", "residence"]), None);
        assert_eq!(
            one_of(&["deny", "license", "allow"]),
            "`deny`, `license` or `allow`"
        );
    }
}
