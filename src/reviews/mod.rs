//! Reviews and ratings: what shoppers who received their goods say of a product, and (on a
//! marketplace) of the seller who sent it.
//!
//! - Only a verified buyer writes one: whoever holds the order's page key (as for tracking and
//!   disputes), once the goods reached them (their part, or the order, delivered or completed).
//!   One review of each product, and of each seller, an order; writing again changes it.
//! - The seller answers in public (the business, for its own goods); a seller may report one it
//!   finds abusive, and the business hides (or shows again) any, saying why.
//! - A rating is the average of the shown reviews with their count, read from them each time.

#[cfg(feature = "server")]
mod work;
#[cfg(feature = "server")]
pub use work::*;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::base::VendorId;
use crate::base::page::Page;
use crate::catalog::ProductId;

/// The most characters a review's title holds.
pub const LONGEST_TITLE: usize = 120;
/// The most characters a review, or its answer, holds.
pub const LONGEST_BODY: usize = 2000;
/// The most characters of why a review was reported or hidden.
pub const LONGEST_WHY: usize = 500;

/// A rating: the average of the shown reviews, with how many there are of each star.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    /// The average, to one decimal place (none without reviews).
    pub average: Option<Decimal>,
    /// How many reviews it is the average of.
    pub count: i64,
    /// How many gave one star, two, … five.
    pub stars: [i64; 5],
}

impl Rating {
    /// The average rounded to whole stars (0 without reviews), to draw it.
    pub fn whole_stars(&self) -> u8 {
        self.average.and_then(|a| a.round().to_string().parse().ok()).unwrap_or(0)
    }

    /// As a person reads it: "4.3 out of 5 (12 reviews)", or "No reviews yet".
    pub fn label(&self) -> String {
        match self.average {
            None => "No reviews yet".to_owned(),
            Some(average) => {
                let plural = if self.count == 1 { "review" } else { "reviews" };
                format!("{average} out of 5 ({} {plural})", self.count)
            }
        }
    }
}

/// Stars as text, for a rating of 1 to 5: "★★★★☆".
pub fn stars(rating: u8) -> String {
    let full = usize::from(rating.min(5));
    format!("{}{}", "★".repeat(full), "☆".repeat(5 - full))
}

/// A review, as its readers see it. The staff's lists fill in the order, the report and the
/// hiding; the store's pages leave them empty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// Its id.
    pub id: Uuid,
    /// The product reviewed (none: the seller is).
    pub product: Option<ProductId>,
    /// Its name (or the seller's, for a review of the seller).
    pub subject: String,
    /// The seller the goods came from (none: the business's own).
    pub vendor: Option<VendorId>,
    /// Its name.
    pub seller: String,
    /// One to five stars.
    pub rating: u8,
    /// Its headline.
    pub title: String,
    /// What the shopper says.
    pub body: String,
    /// The shopper as shown: "Ada O.".
    pub author: String,
    /// The seller's public answer.
    pub reply: String,
    /// When it answered.
    pub replied_at: Option<DateTime<Utc>>,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// Whether the shopper changed it after.
    pub edited: bool,
    /// The order's number (staff alone).
    pub order_number: String,
    /// Why the seller reported it (staff alone).
    pub reported_why: String,
    /// When (staff alone).
    pub reported_at: Option<DateTime<Utc>>,
    /// Why the business hid it (staff, and its writer).
    pub hidden_why: String,
    /// When.
    pub hidden_at: Option<DateTime<Utc>>,
}

/// What the store shows of a product's or a seller's reviews: the rating and a page of them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reviews {
    /// The rating of all the shown reviews.
    pub rating: Rating,
    /// A page of them, newest first.
    pub page: Page<Review>,
}

/// Something an order's shopper may review: a product they bought, or a seller of theirs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToReview {
    /// The product (none: the seller).
    pub product: Option<ProductId>,
    /// The seller (of the product, or reviewed).
    pub vendor: Option<VendorId>,
    /// The product's or the seller's name.
    pub name: String,
    /// Whether the goods reached the shopper, so it may be reviewed.
    pub ready: bool,
    /// What they wrote of it, if they did.
    pub mine: Option<Review>,
}

/// What a shopper writes, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewInput {
    /// The product's id (empty: the seller is reviewed).
    pub product: String,
    /// The seller's id, for a review of the seller.
    pub seller: String,
    /// 1 to 5.
    pub rating: String,
    /// A headline.
    pub title: String,
    /// What they say.
    pub body: String,
}

/// Which reviews the staff's list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewFilter {
    /// Every one.
    #[default]
    All,
    /// Those a seller reported and the business has not hidden.
    Reported,
    /// Those hidden.
    Hidden,
    /// Those not answered yet.
    Unanswered,
}

impl ReviewFilter {
    /// Every filter, as the list's tabs show them.
    pub const ALL: [Self; 4] = [Self::All, Self::Unanswered, Self::Reported, Self::Hidden];

    /// The address's value.
    pub fn code(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Reported => "reported",
            Self::Hidden => "hidden",
            Self::Unanswered => "unanswered",
        }
    }

    /// Reads the address's value (anything else: all).
    pub fn from_code(code: &str) -> Self {
        Self::ALL.into_iter().find(|f| f.code() == code).unwrap_or_default()
    }

    /// As the tab reads.
    pub fn label(self) -> &'static str {
        match self {
            Self::All => "All",
            Self::Reported => "Reported",
            Self::Hidden => "Hidden",
            Self::Unanswered => "Not answered",
        }
    }
}

/// The shopper's name as a review shows it: the first name and the last name's initial
/// ("Ada Okafor" → "Ada O."), so a review never carries a whole name.
pub fn shown_name(contact: &str) -> String {
    let mut words = contact.split_whitespace();
    let Some(first) = words.next() else { return "A shopper".to_owned() };
    let first: String = first.chars().take(40).collect();
    match words.last().and_then(|last| last.chars().next()) {
        Some(initial) => format!("{first} {}.", initial.to_uppercase()),
        None => first,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_review_shows_a_first_name_and_an_initial() {
        assert_eq!(shown_name("Ada Okafor"), "Ada O.");
        assert_eq!(shown_name("  chioma  ngozi eze "), "chioma E.");
        assert_eq!(shown_name("Tunde"), "Tunde");
        assert_eq!(shown_name("   "), "A shopper");
        assert_eq!(shown_name("Émile ōsaze"), "Émile Ō.");
    }

    #[test]
    fn stars_and_a_rating_read_as_people_read_them() {
        assert_eq!(stars(4), "★★★★☆");
        assert_eq!(stars(9), "★★★★★");
        assert_eq!(Rating::default().label(), "No reviews yet");
        let rating = Rating { average: Some(Decimal::new(43, 1)), count: 12, stars: [0, 1, 1, 3, 7] };
        assert_eq!(rating.label(), "4.3 out of 5 (12 reviews)");
        assert_eq!((rating.whole_stars(), Rating::default().whole_stars()), (4, 0));
        let one = Rating { average: Some(Decimal::new(50, 1)), count: 1, stars: [0, 0, 0, 0, 1] };
        assert_eq!(one.label(), "5.0 out of 5 (1 review)");
    }

    #[test]
    fn a_filter_reads_back_from_its_code() {
        for filter in ReviewFilter::ALL {
            assert_eq!(ReviewFilter::from_code(filter.code()), filter);
        }
        assert_eq!(ReviewFilter::from_code("nonsense"), ReviewFilter::All);
    }
}
