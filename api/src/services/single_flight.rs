//! In-process single flight: concurrent calls with the same key share one execution of the work
//! and all get its (cloned) result. The work is driven by whichever caller polls it; if every
//! caller gives up (its request hit the deadline), the next caller resumes it.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};

use futures::FutureExt;
use futures::future::{BoxFuture, Shared};

pub struct SingleFlight<K, V: Clone> {
    inflight: Arc<Mutex<HashMap<K, Shared<BoxFuture<'static, V>>>>>,
}

impl<K, V: Clone> Default for SingleFlight<K, V> {
    fn default() -> Self {
        Self {
            inflight: Arc::default(),
        }
    }
}

impl<K, V> SingleFlight<K, V>
where
    K: Eq + Hash + Clone + Send + 'static,
    V: Clone + Send + Sync + 'static,
{
    /// Joins the flight for `key`, or starts one with `work` when none is in the air.
    pub async fn run(&self, key: K, work: impl FnOnce() -> BoxFuture<'static, V>) -> V {
        let flight = {
            let mut inflight = self.inflight.lock().unwrap_or_else(PoisonError::into_inner);
            match inflight.get(&key) {
                Some(flight) => flight.clone(),
                None => {
                    let map = Arc::clone(&self.inflight);
                    let done_key = key.clone();
                    let work = work();
                    let flight = async move {
                        let value = work.await;
                        // Later callers start afresh (and find the cache filled).
                        map.lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .remove(&done_key);
                        value
                    }
                    .boxed()
                    .shared();
                    inflight.insert(key, flight.clone());
                    flight
                }
            }
        };
        flight.await
    }

    /// Flights in the air now (for tests and metrics).
    pub fn in_flight(&self) -> usize {
        self.inflight
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use tokio::sync::Notify;

    use super::*;

    #[tokio::test]
    async fn concurrent_callers_share_one_execution() {
        let flights: SingleFlight<String, usize> = SingleFlight::default();
        let runs = Arc::new(AtomicUsize::new(0));
        let gate = Arc::new(Notify::new());
        let call = || {
            let runs = Arc::clone(&runs);
            let gate = Arc::clone(&gate);
            flights.run("dave".to_owned(), move || {
                async move {
                    gate.notified().await;
                    runs.fetch_add(1, Ordering::SeqCst) + 41
                }
                .boxed()
            })
        };
        let (a, b, c) = (call(), call(), call());
        let all = futures::future::join3(a, b, c);
        let opener = async {
            tokio::task::yield_now().await;
            gate.notify_one();
        };
        let ((a, b, c), ()) = futures::future::join(all, opener).await;
        assert_eq!((a, b, c), (41, 41, 41));
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert_eq!(flights.in_flight(), 0);
        // A later call runs the work again.
        gate.notify_one();
        assert_eq!(call().await, 42);
    }

    #[tokio::test]
    async fn different_keys_fly_separately() {
        let flights: SingleFlight<&'static str, &'static str> = SingleFlight::default();
        let (a, b) = futures::future::join(
            flights.run("a", || async { "a" }.boxed()),
            flights.run("b", || async { "b" }.boxed()),
        )
        .await;
        assert_eq!((a, b), ("a", "b"));
    }
}
