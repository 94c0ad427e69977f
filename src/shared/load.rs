//! An answer the page waits for: a signal the latest request fills in. Leptos's
//! `LocalResource` and `Action` do this too, but their async machinery cost the map's first
//! view about 9 KB brotli for three requests and a form.

use std::future::Future;

use leptos::prelude::*;

/// Numbers requests in the order they start, so an answer can tell whether a later request
/// has started since its own (answers can arrive out of order on a flaky link).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Tickets {
    last: u64,
}

impl Tickets {
    /// The ticket of a request starting now.
    fn issue(&mut self) -> u64 {
        self.last = self.last.wrapping_add(1);
        self.last
    }

    /// Whether the request holding `ticket` is still the latest.
    fn is_latest(self, ticket: u64) -> bool {
        self.last == ticket
    }
}

/// The latest answer, kept while a newer request is on its way; `None` before the first.
pub struct Latest<T: 'static> {
    value: RwSignal<Option<T>, LocalStorage>,
    started: StoredValue<Tickets>,
}

impl<T> Clone for Latest<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Latest<T> {}

impl<T: 'static> Latest<T> {
    /// Nothing asked yet.
    pub fn new() -> Self {
        Self {
            value: RwSignal::new_local(None),
            started: StoredValue::new(Tickets::default()),
        }
    }

    /// Starts `request`; its answer replaces the current one unless a later request was
    /// started meanwhile (answers can arrive out of order on a flaky link).
    pub fn start(self, request: impl Future<Output = T> + 'static) {
        self.start_then(request, |_| {});
    }

    /// [`Latest::start`], and `first` sees the answer before the page does, only if it is
    /// still wanted and the page still there (it may read the page's signals).
    pub fn start_then(
        self,
        request: impl Future<Output = T> + 'static,
        first: impl FnOnce(&T) + 'static,
    ) {
        let mut tickets = self.started.get_value();
        let ticket = tickets.issue();
        self.started.set_value(tickets);
        wasm_bindgen_futures::spawn_local(async move {
            let answer = request.await;
            // The page draws the answer in a task of its own: reading it (the first time, the
            // browser also compiles the code that does) and drawing it are each enough to hold
            // a cheap phone up.
            crate::shared::browser::sleep(0).await;
            // The page may be gone by now: then there is nobody to tell.
            if self
                .started
                .try_get_value()
                .is_some_and(|t| t.is_latest(ticket))
            {
                first(&answer);
                let _ = self.value.try_set(Some(answer));
            }
        });
    }

    /// [`Latest::start`] for something else (another station): the old answer goes at once, so
    /// the page shows it is loading rather than the last thing's details.
    pub fn restart(self, request: impl Future<Output = T> + 'static) {
        self.value.set(None);
        self.start(request);
    }

    /// Reads the answer, tracked.
    pub fn with<R>(self, f: impl FnOnce(&Option<T>) -> R) -> R {
        self.value.with(f)
    }
}

impl<T: Clone + 'static> Latest<T> {
    /// The answer, tracked.
    pub fn get(self) -> Option<T> {
        self.value.get()
    }
}

/// A request the rider starts by hand (send, look up, withdraw): whether one is on its way, and
/// what to do with its answer once it comes, unless the page has gone meanwhile.
#[derive(Clone, Copy)]
pub struct Task {
    pending: RwSignal<bool>,
}

impl Task {
    /// Nothing on its way.
    pub fn new() -> Self {
        Self {
            pending: RwSignal::new(false),
        }
    }

    /// Whether a request is on its way (tracked).
    pub fn pending(self) -> Signal<bool> {
        self.pending.into()
    }

    /// Sends `request`, then hands its answer to `done`.
    pub fn run<T: 'static>(
        self,
        request: impl Future<Output = T> + 'static,
        done: impl FnOnce(T) + 'static,
    ) {
        self.pending.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            let answer = request.await;
            // `Some` gives the value back: the signal, and so the page, is gone.
            if self.pending.try_set(false).is_none() {
                done(answer);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::Tickets;

    #[test]
    fn an_answer_to_an_earlier_request_arriving_last_is_not_the_latest() {
        let mut tickets = Tickets::default();
        let first = tickets.issue();
        let second = tickets.issue();
        // The second answer comes first and is taken; the first, late, is dropped
        assert!(tickets.is_latest(second));
        assert!(!tickets.is_latest(first));
        // A third request makes the second's answer stale too, if it had not come yet
        let third = tickets.issue();
        assert!(!tickets.is_latest(second));
        assert!(tickets.is_latest(third));
    }

    #[test]
    fn tickets_keep_counting_past_the_largest_number() {
        let mut tickets = Tickets { last: u64::MAX };
        let next = tickets.issue();
        assert_eq!(next, 0);
        assert!(tickets.is_latest(next));
        assert!(!tickets.is_latest(u64::MAX));
    }
}
