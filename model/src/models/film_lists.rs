//! One list per film stored as one array (`entries[starts[i]..starts[i + 1]]` is film `i`'s):
//! the shape of the neighbour and co-watching lists, which share these helpers so the stored
//! fields stay as they are.

use crate::catalog::FilmIndex;

/// Film `at`'s list; empty for a film past the end.
pub(crate) fn list_of<'a, T>(starts: &[u32], entries: &'a [T], at: FilmIndex) -> &'a [T] {
    let at = usize::from(at);
    if at + 1 >= starts.len() {
        return &[];
    }
    &entries[starts[at] as usize..starts[at + 1] as usize]
}

/// One list per film as one array.
pub(crate) fn flatten<T>(lists: Vec<Vec<T>>) -> (Vec<u32>, Vec<T>) {
    let mut starts = Vec::with_capacity(lists.len() + 1);
    starts.push(0u32);
    let mut entries = Vec::with_capacity(lists.iter().map(Vec::len).sum());
    for list in lists {
        entries.extend(list);
        starts.push(entries.len() as u32);
    }
    (starts, entries)
}

/// The lists under a new numbering of films (`map[old]` is the new index, or `None` for a film
/// that is gone): gone films lose their list and leave the others'.
pub(crate) fn renumbered<'a>(
    of: impl Fn(FilmIndex) -> &'a [(FilmIndex, f32)],
    map: &[Option<FilmIndex>],
    n_new: usize,
) -> Vec<Vec<(FilmIndex, f32)>> {
    let mut lists: Vec<Vec<(FilmIndex, f32)>> = vec![Vec::new(); n_new];
    for (old, new) in FilmIndex::first(map.len()).zip(map) {
        let Some(list) = new.and_then(|new| new.get_mut(&mut lists)) else {
            continue;
        };
        *list = of(old)
            .iter()
            .filter_map(|&(o, s)| o.get(map).copied().flatten().map(|n| (n, s)))
            .collect();
    }
    lists
}
