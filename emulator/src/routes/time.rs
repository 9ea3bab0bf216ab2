//! `GET /time/0`: the current timetoken as a bare JSON number in an array,
//! `[14818963707386265]`.

use hyper::StatusCode;

use crate::clock;
use crate::json::Layout;
use crate::reply::Reply;

/// Returns `[<timetoken>]` with a fresh timetoken from the process clock.
pub fn get() -> Reply {
    Reply::json(StatusCode::OK, &[clock::next_timetoken()], Layout::Compact)
}
