//! How many films a request asks for, checked once where the request is parsed.

/// A count from 1 to `MAX`: a value of this type is never zero nor too large.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Count<const MAX: usize>(usize);

impl<const MAX: usize> Count<MAX> {
    pub fn new(count: usize) -> Result<Self, CountOutOfBounds> {
        if (1..=MAX).contains(&count) {
            Ok(Self(count))
        } else {
            Err(CountOutOfBounds {
                max: MAX,
                got: count,
            })
        }
    }

    pub fn get(self) -> usize {
        self.0
    }
}

/// A count outside 1..=`max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{got} is outside 1..={max}")]
pub struct CountOutOfBounds {
    pub max: usize,
    pub got: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_hold_one_to_max() {
        assert_eq!(Count::<3>::new(1).map(Count::get), Ok(1));
        assert_eq!(Count::<3>::new(3).map(Count::get), Ok(3));
        assert_eq!(Count::<3>::new(0), Err(CountOutOfBounds { max: 3, got: 0 }));
        assert_eq!(Count::<3>::new(4), Err(CountOutOfBounds { max: 3, got: 4 }));
    }
}
