//! An order's life: the statuses it passes through and, in [`allowed`], every move between them.
//!
//! - Collected at a shop: awaiting payment → paid → processing → ready for pickup → completed.
//! - Sent to an address: awaiting payment → paid → processing → shipped → delivered → completed.
//! - Paid on delivery: awaiting payment → processing, then as above.
//! - Cancelled: from any status before the shopper has the goods (delivered and completed
//!   excepted).
//!
//! Two things decide the way through:
//! - **How it reaches the shopper** ([`Fulfilment`]): collected at a shop passes through *ready
//!   for pickup*; sent to an address passes through *shipped* and *delivered*.
//! - **When it is paid** ([`Settlement`]): paid before it is prepared (card, bank transfer), or at
//!   the door or counter (pay on delivery). An order paid on delivery is prepared while it still
//!   awaits payment: it may go from *awaiting payment* straight to *processing*, and the money is
//!   recorded when it is collected.
//!
//! *Cancelled* and *completed* are final. A cancelled order gives back the stock it held; one
//! cancelled after it was paid owes the shopper their money (refunds are their own part).
//! A shipped order that comes back undelivered is cancelled, as it was never received.

use serde::{Deserialize, Serialize};

/// Where an order is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderStatus {
    /// Placed; the money has not arrived (or is due at the door).
    AwaitingPayment,
    /// The money has arrived; not yet being prepared.
    Paid,
    /// Being picked and packed.
    Processing,
    /// Packed at the shop, waiting for the shopper.
    ReadyForPickup,
    /// On its way to the shopper's address.
    Shipped,
    /// Handed over at the address.
    Delivered,
    /// Done: collected or delivered, and paid.
    Completed,
    /// Called off; its stock is back.
    Cancelled,
}

/// How an order reaches the shopper.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Fulfilment {
    /// Collected at one of the business's shops.
    Pickup,
    /// Sent to an address.
    Delivery,
}

/// When an order is paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Settlement {
    /// Before it is prepared: card, bank transfer, USSD.
    Before,
    /// At the door or the counter: pay on delivery.
    OnDelivery,
}

impl OrderStatus {
    /// Every status, in the order of an order's life.
    pub const ALL: [Self; 8] = [
        Self::AwaitingPayment,
        Self::Paid,
        Self::Processing,
        Self::ReadyForPickup,
        Self::Shipped,
        Self::Delivered,
        Self::Completed,
        Self::Cancelled,
    ];

    /// The stored value.
    pub fn code(self) -> &'static str {
        match self {
            Self::AwaitingPayment => "awaiting_payment",
            Self::Paid => "paid",
            Self::Processing => "processing",
            Self::ReadyForPickup => "ready_for_pickup",
            Self::Shipped => "shipped",
            Self::Delivered => "delivered",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
        }
    }

    /// Reads the stored value.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// As a person reads it.
    pub fn label(self) -> &'static str {
        match self {
            Self::AwaitingPayment => "Awaiting payment",
            Self::Paid => "Paid",
            Self::Processing => "Processing",
            Self::ReadyForPickup => "Ready for pickup",
            Self::Shipped => "Shipped",
            Self::Delivered => "Delivered",
            Self::Completed => "Completed",
            Self::Cancelled => "Cancelled",
        }
    }

    /// Whether nothing can happen to the order any more.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Completed | Self::Cancelled)
    }
}

/// Whether an order that reaches the shopper by `fulfilment` and is paid by `settlement` may
/// move from `from` to `to`. Every page, the API and the payment providers move orders through
/// this one function.
pub fn allowed(from: OrderStatus, to: OrderStatus, fulfilment: Fulfilment, settlement: Settlement) -> bool {
    use OrderStatus::{AwaitingPayment, Cancelled, Completed, Delivered, Paid, Processing, ReadyForPickup, Shipped};
    let pickup = fulfilment == Fulfilment::Pickup;
    match (from, to) {
        (AwaitingPayment, Paid) | (Paid, Processing) | (AwaitingPayment | Paid | Processing, Cancelled) => true,
        (AwaitingPayment, Processing) => settlement == Settlement::OnDelivery,
        (Processing, ReadyForPickup) | (ReadyForPickup, Completed | Cancelled) => pickup,
        (Processing, Shipped) | (Shipped, Delivered | Cancelled) | (Delivered, Completed) => !pickup,
        _ => false,
    }
}

/// The statuses an order may move to next, in the order of its life.
pub fn next(from: OrderStatus, fulfilment: Fulfilment, settlement: Settlement) -> Vec<OrderStatus> {
    OrderStatus::ALL.into_iter().filter(|&to| allowed(from, to, fulfilment, settlement)).collect()
}

/// The status of an order in parts, from its parts': called off when every part is, and
/// otherwise as far along as its slowest part still going (a part called off no longer holds
/// the order back). None for an order without parts.
pub fn rollup(parts: &[OrderStatus]) -> Option<OrderStatus> {
    let place = |s: &OrderStatus| OrderStatus::ALL.iter().position(|a| a == s);
    let live = parts.iter().filter(|&&s| s != OrderStatus::Cancelled);
    match live.min_by_key(|s| place(s)) {
        Some(&slowest) => Some(slowest),
        None => parts.first().map(|_| OrderStatus::Cancelled),
    }
}

#[cfg(test)]
mod tests {
    use super::OrderStatus::{
        AwaitingPayment, Cancelled, Completed, Delivered, Paid, Processing, ReadyForPickup, Shipped,
    };
    use super::{Fulfilment, OrderStatus, Settlement, allowed, next, rollup};

    #[test]
    fn an_order_in_parts_is_as_far_along_as_its_slowest_part_still_going() {
        assert_eq!(rollup(&[]), None);
        assert_eq!(rollup(&[Shipped, Processing]), Some(Processing));
        assert_eq!(rollup(&[Delivered, Cancelled]), Some(Delivered));
        assert_eq!(rollup(&[Cancelled, Cancelled]), Some(Cancelled));
        assert_eq!(rollup(&[Completed, Delivered, Completed]), Some(Delivered));
        assert_eq!(rollup(&[Completed, Cancelled]), Some(Completed));
        assert_eq!(rollup(&[AwaitingPayment, Paid]), Some(AwaitingPayment));
    }

    #[test]
    fn every_move_is_allowed_or_refused_as_designed() {
        use Fulfilment::{Delivery, Pickup};
        use Settlement::{Before, OnDelivery};
        // Every allowed move, written out; everything else (all 64 pairs, four ways) is refused.
        type Moves = &'static [(OrderStatus, OrderStatus)];
        let designed: [(Fulfilment, Settlement, Moves); 4] = [
            (
                Pickup,
                Before,
                &[
                    (AwaitingPayment, Paid),
                    (AwaitingPayment, Cancelled),
                    (Paid, Processing),
                    (Paid, Cancelled),
                    (Processing, ReadyForPickup),
                    (Processing, Cancelled),
                    (ReadyForPickup, Completed),
                    (ReadyForPickup, Cancelled),
                ],
            ),
            (
                Delivery,
                Before,
                &[
                    (AwaitingPayment, Paid),
                    (AwaitingPayment, Cancelled),
                    (Paid, Processing),
                    (Paid, Cancelled),
                    (Processing, Shipped),
                    (Processing, Cancelled),
                    (Shipped, Delivered),
                    (Shipped, Cancelled),
                    (Delivered, Completed),
                ],
            ),
            (
                Pickup,
                OnDelivery,
                &[
                    (AwaitingPayment, Paid),
                    (AwaitingPayment, Processing),
                    (AwaitingPayment, Cancelled),
                    (Paid, Processing),
                    (Paid, Cancelled),
                    (Processing, ReadyForPickup),
                    (Processing, Cancelled),
                    (ReadyForPickup, Completed),
                    (ReadyForPickup, Cancelled),
                ],
            ),
            (
                Delivery,
                OnDelivery,
                &[
                    (AwaitingPayment, Paid),
                    (AwaitingPayment, Processing),
                    (AwaitingPayment, Cancelled),
                    (Paid, Processing),
                    (Paid, Cancelled),
                    (Processing, Shipped),
                    (Processing, Cancelled),
                    (Shipped, Delivered),
                    (Shipped, Cancelled),
                    (Delivered, Completed),
                ],
            ),
        ];
        for (fulfilment, settlement, moves) in designed {
            for from in OrderStatus::ALL {
                for to in OrderStatus::ALL {
                    let expected = moves.contains(&(from, to));
                    assert_eq!(
                        allowed(from, to, fulfilment, settlement),
                        expected,
                        "{from:?} → {to:?}, {fulfilment:?}, {settlement:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_order_can_end_and_nothing_moves_to_itself_or_back_to_the_start() {
        for fulfilment in [Fulfilment::Pickup, Fulfilment::Delivery] {
            for settlement in [Settlement::Before, Settlement::OnDelivery] {
                // Every status an order placed this way can reach can move on, unless it is final.
                let (mut reached, mut todo) = (vec![AwaitingPayment], vec![AwaitingPayment]);
                while let Some(status) = todo.pop() {
                    let ahead = next(status, fulfilment, settlement);
                    assert_eq!(status.is_final(), ahead.is_empty(), "{status:?}, {fulfilment:?}, {settlement:?}");
                    for to in ahead {
                        if !reached.contains(&to) {
                            reached.push(to);
                            todo.push(to);
                        }
                    }
                }
                assert!(reached.contains(&Completed) && reached.contains(&Cancelled));
                for status in OrderStatus::ALL {
                    assert!(!allowed(status, status, fulfilment, settlement));
                    assert!(!allowed(status, AwaitingPayment, fulfilment, settlement));
                }
            }
        }
        assert_eq!(next(Processing, Fulfilment::Pickup, Settlement::Before), [ReadyForPickup, Cancelled]);
        assert_eq!(next(Processing, Fulfilment::Delivery, Settlement::Before), [Shipped, Cancelled]);
    }

    #[test]
    fn statuses_are_stored_and_read_back_by_their_code() {
        for status in OrderStatus::ALL {
            assert_eq!(OrderStatus::from_code(status.code()), Some(status));
        }
        assert_eq!(OrderStatus::from_code("refunded"), None);
    }
}
