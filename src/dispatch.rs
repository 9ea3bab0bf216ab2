//! Worker threads, request ids, cancellation and exactly-once completion.
//!
//! Asynchronous requests wait in a bounded queue until one of the client's worker
//! threads runs them. Each request owns a [`Completion`] that contains its
//! callback. The first party to take the callback (the worker with the reply,
//! or a cancellation) runs it, so it runs exactly once. Cancelled callbacks run on
//! the client's completer thread, so a cancellation never waits for a worker
//! that is blocked in network I/O.

use std::cell::Cell;
use std::collections::{HashMap, VecDeque};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};

use log::{debug, error};

use crate::endpoints::StatusContext;
use crate::error::Code;
use crate::model::Response;

/// The caller's callback for a response of type `T`.
pub(crate) type Callback<T> = Box<dyn FnOnce(Response<T>) + Send>;

/// A callback bound to its outcome, ready to run.
type Finish = Box<dyn FnOnce() + Send>;

/// Work that a worker runs: it returns the bound callback, or `None` when the
/// request was cancelled meanwhile.
type Job = Box<dyn FnOnce() -> Option<Finish> + Send>;

/// Detail of the status of a request cancelled by its id.
pub const CANCELLED_BY_CALLER: &str = "cancelled by request id before the reply was processed; if the request was already sent, the server may still apply it";
/// Detail of the status of a request cancelled because its client was closed.
pub const CANCELLED_BY_CLOSE: &str = "the client was closed before the request completed; if the request was already sent, the server may still apply it";

thread_local! {
    /// The dispatcher whose thread this is, so that closing from inside a
    /// callback does not wait for itself.
    static OWNER: Cell<usize> = const { Cell::new(0) };
}

/// Locks a mutex, ignoring poisoning: callbacks run outside every lock, so a
/// panic can never leave the protected data half-updated.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The callback of one request, taken at most once.
pub(crate) struct Completion<T> {
    callback: Mutex<Option<Callback<T>>>,
    context: StatusContext,
    tracker: Arc<CallbackTracker>,
}

impl<T: Send + 'static> Completion<T> {
    fn is_done(&self) -> bool {
        lock(&self.callback).is_none()
    }

    /// Takes the callback and binds it to `response`, unless it was taken before.
    fn finish(&self, response: Response<T>) -> Option<Finish> {
        let mut slot = lock(&self.callback);
        let callback = slot.take()?;
        // Counted while the slot is still locked: a close that then finds the
        // slot empty also finds this callback counted, and waits for it.
        let running = self.tracker.begin();
        drop(slot);
        Some(Box::new(move || {
            let _running = running;
            callback(response);
        }))
    }
}

/// Counts callbacks from the moment one is taken until it has returned, so
/// that closing can wait for every callback that will still run.
struct CallbackTracker {
    running: Mutex<usize>,
    idle: Condvar,
}

impl CallbackTracker {
    fn begin(self: &Arc<Self>) -> RunningCallback {
        *lock(&self.running) += 1;
        RunningCallback(Arc::clone(self))
    }

    fn wait_idle(&self) {
        let mut running = lock(&self.running);
        while *running > 0 {
            running = self
                .idle
                .wait(running)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// One taken callback; dropping it, after the callback returns or unwinds, ends its count.
struct RunningCallback(Arc<CallbackTracker>);

impl Drop for RunningCallback {
    fn drop(&mut self) {
        let mut running = lock(&self.0.running);
        *running -= 1;
        if *running == 0 {
            self.0.idle.notify_all();
        }
    }
}

/// Type-erased view of a [`Completion`], for completing it without a reply.
trait Abandon: Send + Sync {
    /// Binds the callback to a status with `code` and no data, unless it was taken before.
    fn abandon(&self, code: Code, detail: &str) -> Option<Finish>;
}

impl<T: Send + 'static> Abandon for Completion<T> {
    fn abandon(&self, code: Code, detail: &str) -> Option<Finish> {
        let message = format!("{}: {detail}", code.message());
        let status = self.context.status(code, 0, message);
        self.finish(Response { status, data: None })
    }
}

struct Queue {
    jobs: VecDeque<(u64, Job)>,
    closed: bool,
}

struct Inner {
    queue: Mutex<Queue>,
    queue_ready: Condvar,
    capacity: usize,
    /// Requests not yet completed, by id. Lock order: `queue`, then `pending`, then `completer`.
    pending: Mutex<HashMap<u64, Arc<dyn Abandon>>>,
    completer: Mutex<Option<Sender<Finish>>>,
    next_id: AtomicU64,
    /// Whether each worker holds a job; a busy worker may be blocked in network I/O.
    busy: Vec<AtomicBool>,
    /// Callbacks taken and not yet returned.
    callbacks: Arc<CallbackTracker>,
}

impl Inner {
    fn identity(self: &Arc<Inner>) -> usize {
        Arc::as_ptr(self) as usize
    }

    fn run_callback(&self, finish: Finish) {
        if catch_unwind(AssertUnwindSafe(finish)).is_err() {
            error!(
                "a request callback panicked; the panic was caught and the client keeps running"
            );
        }
    }
}

/// Runs asynchronous requests on a fixed pool of threads.
pub(crate) struct Dispatcher {
    inner: Arc<Inner>,
    workers: Mutex<Vec<JoinHandle<()>>>,
    completer: Mutex<Option<JoinHandle<()>>>,
}

impl Dispatcher {
    /// Starts `worker_count` workers and the completer thread.
    pub(crate) fn start(worker_count: usize, capacity: usize) -> Result<Dispatcher, Code> {
        let (completer_sender, completer_receiver) = channel::<Finish>();
        let inner = Arc::new(Inner {
            queue: Mutex::new(Queue {
                jobs: VecDeque::new(),
                closed: false,
            }),
            queue_ready: Condvar::new(),
            capacity,
            pending: Mutex::new(HashMap::new()),
            completer: Mutex::new(Some(completer_sender)),
            next_id: AtomicU64::new(1),
            busy: (0..worker_count).map(|_| AtomicBool::new(false)).collect(),
            callbacks: Arc::new(CallbackTracker {
                running: Mutex::new(0),
                idle: Condvar::new(),
            }),
        });
        let dispatcher = Dispatcher {
            inner: Arc::clone(&inner),
            workers: Mutex::new(Vec::new()),
            completer: Mutex::new(None),
        };

        let completer_inner = Arc::clone(&inner);
        let completer = thread::Builder::new()
            .name("pubnub-actions-completer".into())
            .spawn(move || {
                OWNER.with(|owner| owner.set(completer_inner.identity()));
                for finish in completer_receiver {
                    completer_inner.run_callback(finish);
                }
            })
            .map_err(|_| Code::ThreadSpawnFailed)?;
        *lock(&dispatcher.completer) = Some(completer);

        for index in 0..worker_count {
            let worker_inner = Arc::clone(&inner);
            let spawned = thread::Builder::new()
                .name(format!("pubnub-actions-worker-{index}"))
                .spawn(move || work(&worker_inner, index));
            match spawned {
                Ok(handle) => lock(&dispatcher.workers).push(handle),
                Err(_) => {
                    dispatcher.close();
                    return Err(Code::ThreadSpawnFailed);
                }
            }
        }
        Ok(dispatcher)
    }

    /// Queues `work`; its response goes to `callback`, exactly once. Returns the request id.
    pub(crate) fn submit<T: Send + 'static>(
        &self,
        context: impl FnOnce(u64) -> StatusContext,
        work: impl FnOnce(&StatusContext) -> Response<T> + Send + 'static,
        callback: Callback<T>,
    ) -> Result<u64, Code> {
        let mut queue = lock(&self.inner.queue);
        if queue.closed {
            return Err(Code::ClientClosed);
        }
        if queue.jobs.len() >= self.inner.capacity {
            return Err(Code::QueueFull);
        }
        let id = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
        let completion = Arc::new(Completion {
            callback: Mutex::new(Some(callback)),
            context: context(id),
            tracker: Arc::clone(&self.inner.callbacks),
        });
        lock(&self.inner.pending).insert(id, Arc::clone(&completion) as Arc<dyn Abandon>);
        let job: Job = Box::new(move || {
            if completion.is_done() {
                return None;
            }
            let response = work(&completion.context);
            completion.finish(response)
        });
        queue.jobs.push_back((id, job));
        drop(queue);
        self.inner.queue_ready.notify_one();
        debug!("request {id} queued");
        Ok(id)
    }

    /// Cancels a request that has not completed: its callback runs with a
    /// cancelled status on the completer thread.
    pub(crate) fn cancel(&self, id: u64) -> Result<(), Code> {
        let mut pending = lock(&self.inner.pending);
        let completion = pending.remove(&id).ok_or(Code::RequestNotFound)?;
        let finish = completion
            .abandon(Code::Cancelled, CANCELLED_BY_CALLER)
            .ok_or(Code::RequestNotFound)?;
        send_to_completer(&self.inner, finish);
        drop(pending);
        debug!("request {id} cancelled");
        Ok(())
    }

    /// Stops accepting requests and completes every pending one as cancelled.
    ///
    /// Called from outside the client's threads, it returns after every callback
    /// has returned. Workers blocked in network I/O finish on their own, and
    /// their replies are dropped. Called from inside a callback, it returns at
    /// once, and the remaining callbacks still run.
    pub(crate) fn close(&self) {
        let drained: Vec<(u64, Job)> = {
            let mut queue = lock(&self.inner.queue);
            if queue.closed {
                return;
            }
            queue.closed = true;
            queue.jobs.drain(..).collect()
        };
        self.inner.queue_ready.notify_all();
        drop(drained);

        {
            let mut pending = lock(&self.inner.pending);
            for (_, completion) in pending.drain() {
                if let Some(finish) = completion.abandon(Code::Cancelled, CANCELLED_BY_CLOSE) {
                    send_to_completer(&self.inner, finish);
                }
            }
            // Dropping the sender ends the completer thread once it has run what is queued.
            lock(&self.inner.completer).take();
        }

        let completer = lock(&self.completer).take();
        let workers: Vec<JoinHandle<()>> = lock(&self.workers).drain(..).collect();
        let on_own_thread = OWNER.with(|owner| owner.get()) == self.inner.identity();
        if on_own_thread {
            return;
        }
        if let Some(completer) = completer {
            let _ = completer.join();
        }
        for (index, worker) in workers.into_iter().enumerate() {
            if !self.inner.busy[index].load(Ordering::Acquire) {
                let _ = worker.join();
            }
        }
        self.inner.callbacks.wait_idle();
    }
}

impl Drop for Dispatcher {
    fn drop(&mut self) {
        self.close();
    }
}

fn send_to_completer(inner: &Inner, finish: Finish) {
    match lock(&inner.completer).as_ref() {
        Some(sender) => {
            if let Err(unsent) = sender.send(finish) {
                // The completer thread is gone only after a panic in this module;
                // the callback must still run exactly once, so it runs here.
                error!(
                    "the completer thread has stopped; running a cancelled callback on the calling thread"
                );
                inner.run_callback(unsent.0);
            }
        }
        None => {
            error!(
                "a cancellation arrived after the client closed; running its callback on the calling thread"
            );
            inner.run_callback(finish);
        }
    }
}

fn work(inner: &Arc<Inner>, index: usize) {
    OWNER.with(|owner| owner.set(inner.identity()));
    loop {
        let (id, job) = {
            let mut queue = lock(&inner.queue);
            loop {
                if let Some(next) = queue.jobs.pop_front() {
                    inner.busy[index].store(true, Ordering::Release);
                    break next;
                }
                if queue.closed {
                    return;
                }
                queue = inner
                    .queue_ready
                    .wait(queue)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        };

        let finish = catch_unwind(AssertUnwindSafe(job)).unwrap_or_else(|_| {
            error!("request {id} panicked inside the library; its callback runs with an internal-error status");
            None
        });
        let orphan = lock(&inner.pending).remove(&id);
        if let Some(finish) = finish {
            inner.run_callback(finish);
        } else if let Some(completion) = orphan {
            // A panic lost the response, but the callback must still run once.
            if let Some(finish) =
                completion.abandon(Code::Internal, "the request panicked before it completed")
            {
                inner.run_callback(finish);
            }
        }
        inner.busy[index].store(false, Ordering::Release);
    }
}
