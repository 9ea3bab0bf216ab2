//! PubNub Message Actions: add an action (a `type` and a `value`) to a published
//! message, remove it, and list a channel's actions, over the PubNub REST API.
//!
//! [`Client`] is the Rust API; the `ffi` module exposes the same operations
//! through a C ABI (header `include/pubnub_actions.h`). Every operation has a
//! blocking form, which runs on the calling thread, and an asynchronous form,
//! which runs on the client's worker threads and calls a callback exactly once.
//!
//! ```no_run
//! use pubnub_actions::{Client, Config};
//!
//! let mut config = Config::new("sub-c-TEST", "user-1", "127.0.0.1:8090");
//! config.tls = false;
//! let client = Client::new(config)?;
//! let response = client.add_message_action("chats.room1", 17579669463728661, "reaction", "smiley_face")?;
//! match response.into_result() {
//!     Ok(action) => println!("added at {}", action.action_timetoken),
//!     Err(status) => println!("failed: {status}"),
//! }
//! # Ok::<(), pubnub_actions::Code>(())
//! ```

#![allow(
    clippy::result_large_err,
    reason = "a Status is built at most once per request, so moving it by value costs nothing measurable"
)]

pub mod config;
mod dispatch;
pub mod encode;
pub mod endpoints;
pub mod error;
pub mod ffi;
pub mod model;
pub mod signature;
mod transport;

use std::sync::Arc;

pub use config::Config;
pub use error::{Category, Code, Operation, Status};
pub use model::{ActionsPage, MessageAction, PageBounds, Published, Response, Timetoken};

use dispatch::Dispatcher;
use endpoints::{Reply, Request, StatusContext};
use transport::Transport;

/// A PubNub Message Actions client: safe to share between threads.
///
/// Dropping the client completes every pending asynchronous request with a
/// [`Code::Cancelled`] status (see [`Client::close`]).
pub struct Client {
    shared: Arc<Shared>,
    dispatcher: Dispatcher,
}

/// Settings and connection pool, shared by the worker threads.
struct Shared {
    config: Config,
    transport: Transport,
}

impl Shared {
    fn execute<T>(
        &self,
        context: &StatusContext,
        request: &Request,
        parse: impl FnOnce(&StatusContext, &Reply) -> Response<T>,
    ) -> Response<T> {
        let prepared = endpoints::prepare(&self.config, request);
        match self.transport.send(context, request.method, &prepared) {
            Ok(reply) => parse(context, &reply),
            Err(status) => Response { status, data: None },
        }
    }
}

impl Client {
    /// Checks the configuration, creates the connection pool and starts the worker threads.
    pub fn new(config: Config) -> Result<Client, Code> {
        config.validate()?;
        let transport = Transport::new(&config)?;
        let dispatcher = Dispatcher::start(config.worker_count, config.queue_capacity)?;
        Ok(Client {
            shared: Arc::new(Shared { config, transport }),
            dispatcher,
        })
    }

    /// Returns the client's settings.
    pub fn config(&self) -> &Config {
        &self.shared.config
    }

    /// Adds an action to the message published at `message_timetoken`, blocking
    /// until the reply arrives. `Err` means the call was rejected and nothing was sent.
    pub fn add_message_action(
        &self,
        channel: &str,
        message_timetoken: Timetoken,
        action_type: &str,
        value: &str,
    ) -> Result<Response<MessageAction>, Code> {
        let request = endpoints::add::request(
            &self.shared.config,
            channel,
            message_timetoken,
            action_type,
            value,
        )?;
        Ok(self.run_blocking(&request, endpoints::add::parse))
    }

    /// Adds an action on a worker thread and passes the response to `callback`.
    /// Returns the request id, for [`Client::cancel`].
    pub fn add_message_action_async(
        &self,
        channel: &str,
        message_timetoken: Timetoken,
        action_type: &str,
        value: &str,
        callback: impl FnOnce(Response<MessageAction>) + Send + 'static,
    ) -> Result<u64, Code> {
        let request = endpoints::add::request(
            &self.shared.config,
            channel,
            message_timetoken,
            action_type,
            value,
        )?;
        self.run_async(request, endpoints::add::parse, Box::new(callback))
    }

    /// Lists a channel's actions within `bounds`, oldest first, blocking until the reply arrives.
    pub fn get_message_actions(
        &self,
        channel: &str,
        bounds: PageBounds,
    ) -> Result<Response<ActionsPage>, Code> {
        let request = endpoints::get::request(&self.shared.config, channel, bounds)?;
        Ok(self.run_blocking(&request, move |context, reply| {
            endpoints::get::parse(context, reply, bounds)
        }))
    }

    /// Lists a channel's actions on a worker thread and passes the page to `callback`.
    pub fn get_message_actions_async(
        &self,
        channel: &str,
        bounds: PageBounds,
        callback: impl FnOnce(Response<ActionsPage>) + Send + 'static,
    ) -> Result<u64, Code> {
        let request = endpoints::get::request(&self.shared.config, channel, bounds)?;
        let parse = move |context: &StatusContext, reply: &Reply| {
            endpoints::get::parse(context, reply, bounds)
        };
        self.run_async(request, parse, Box::new(callback))
    }

    /// Removes the action added at `action_timetoken` to the message published at
    /// `message_timetoken`, blocking until the reply arrives. Only the action's
    /// author (the same user id) may remove it.
    pub fn remove_message_action(
        &self,
        channel: &str,
        message_timetoken: Timetoken,
        action_timetoken: Timetoken,
    ) -> Result<Response<()>, Code> {
        let request = endpoints::remove::request(
            &self.shared.config,
            channel,
            message_timetoken,
            action_timetoken,
        )?;
        Ok(self.run_blocking(&request, endpoints::remove::parse))
    }

    /// Removes an action on a worker thread and passes the response to `callback`.
    pub fn remove_message_action_async(
        &self,
        channel: &str,
        message_timetoken: Timetoken,
        action_timetoken: Timetoken,
        callback: impl FnOnce(Response<()>) + Send + 'static,
    ) -> Result<u64, Code> {
        let request = endpoints::remove::request(
            &self.shared.config,
            channel,
            message_timetoken,
            action_timetoken,
        )?;
        self.run_async(request, endpoints::remove::parse, Box::new(callback))
    }

    /// Publishes `message_json` (a JSON document) to `channel`, blocking until the
    /// reply arrives; the returned timetoken identifies the message for actions.
    pub fn publish(&self, channel: &str, message_json: &str) -> Result<Response<Published>, Code> {
        let request = endpoints::publish::request(&self.shared.config, channel, message_json)?;
        Ok(self.run_blocking(&request, endpoints::publish::parse))
    }

    /// Cancels a pending asynchronous request: its callback runs with a
    /// [`Code::Cancelled`] status on a library thread. A request already sent may
    /// still take effect on the server. Fails with [`Code::RequestNotFound`] once
    /// the request has completed.
    pub fn cancel(&self, request_id: u64) -> Result<(), Code> {
        self.dispatcher.cancel(request_id)
    }

    /// Stops accepting requests and completes every pending one as cancelled.
    ///
    /// From outside the client's callbacks, returns after every callback has
    /// returned. From inside a callback, returns at once; the remaining callbacks
    /// still run afterwards, with a cancelled status.
    pub fn close(&self) {
        self.dispatcher.close();
    }

    fn run_blocking<T>(
        &self,
        request: &Request,
        parse: impl FnOnce(&StatusContext, &Reply) -> Response<T>,
    ) -> Response<T> {
        let context = StatusContext::new(&self.shared.config, request, 0);
        self.shared.execute(&context, request, parse)
    }

    fn run_async<T: Send + 'static>(
        &self,
        request: Request,
        parse: impl FnOnce(&StatusContext, &Reply) -> Response<T> + Send + 'static,
        callback: Box<dyn FnOnce(Response<T>) + Send>,
    ) -> Result<u64, Code> {
        let shared = Arc::clone(&self.shared);
        let context = StatusContext::new(&self.shared.config, &request, 0);
        let work = move |context: &StatusContext| shared.execute(context, &request, parse);
        self.dispatcher.submit(
            move |id| StatusContext {
                request_id: id,
                ..context
            },
            work,
            callback,
        )
    }
}
