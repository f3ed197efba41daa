//! One sort for every list the engine and the app put in order. The standard library's
//! sort is generic over the element and the comparison, so each `sort_by` with a closure
//! of its own was a copy of the whole sorting code in the app's wasm (about 5 KB each
//! before optimisation; fifteen of our own calls reached the app). Here every list that
//! needs a stable order goes through one sort of indices with the comparison behind a
//! pointer. Like `slice::sort_by`, it is stable: equal items keep their order, so the
//! result is the same as before.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, keeping equal items in their order (as `slice::sort_by`).
pub fn sort_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    {
        let items: &[T] = items;
        let by_item = |a: &usize, b: &usize| match (items.get(*a), items.get(*b)) {
            (Some(a), Some(b)) => compare(a, b),
            _ => Ordering::Equal,
        };
        sort_indices(&mut order, &by_item);
    }
    permute(items, order);
}

/// Sorts `items` by a key (as `slice::sort_by_key`).
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in their own order (as `slice::sort`).
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The one copy of the standard library's stable sort.
#[inline(never)]
fn sort_indices(order: &mut [usize], compare: &dyn Fn(&usize, &usize) -> Ordering) {
    order.sort_by(compare);
}

/// Puts `items[order[i]]` at place `i` for every `i`, following each cycle of the
/// permutation with swaps (a place whose item has arrived is marked by `order[i] == i`).
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut place = start;
        while let Some(&source) = order.get(place) {
            if let Some(done) = order.get_mut(place) {
                *done = place;
            }
            if source == start {
                break;
            }
            items.swap(place, source);
            place = source;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_like_the_standard_stable_sort() {
        // Pairs sorted by their first number only, so that the second shows stability.
        let mut state = 7u64;
        for length in [0usize, 1, 2, 3, 10, 257] {
            let mut items: Vec<(u64, usize)> = (0..length)
                .map(|i| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((state >> 33) % 5, i)
                })
                .collect();
            let mut expected = items.clone();
            expected.sort_by_key(|item| item.0);
            sort_by(&mut items, |a, b| a.0.cmp(&b.0));
            assert_eq!(items, expected, "{length} items");
            sort_by_key(&mut items, |item| std::cmp::Reverse(item.1));
            expected.sort_by_key(|item| std::cmp::Reverse(item.1));
            assert_eq!(items, expected, "{length} items, by key");
        }
        let mut words = vec!["pear", "apple", "fig", "apple"];
        sort(&mut words);
        assert_eq!(words, ["apple", "apple", "fig", "pear"]);
    }
}
