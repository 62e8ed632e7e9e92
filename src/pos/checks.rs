//! What can be checked of a till's document without the database: the till checks a document
//! this way before it keeps it, and the server again before it books it, so the two agree.

use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;

use super::MOST_LINES;
use super::{CustomerDoc, Document, ReturnDoc, Sale, ShiftClose, Tender, TenderLine};
use crate::base::money::LARGEST_AMOUNT;

impl Document {
    /// What can be checked of it alone: the till's own rules, with the register's receipt
    /// prefix and the time now. The first thing wrong, as the cashier and the manager read it.
    pub fn check(&self, prefix: &str, now: DateTime<Utc>) -> Result<(), String> {
        if self.id().is_nil() {
            return Err("the document has no id".to_owned());
        }
        if self.made_at() > now + Duration::days(1) {
            return Err(format!(
                "made at {} by the till's clock, which is ahead of the server's by more than a day; set the \
                 device's date and time",
                self.made_at().format("%Y-%m-%d %H:%M UTC")
            ));
        }
        if let Some(receipt) = self.receipt() {
            check_receipt(receipt, prefix)?;
        }
        match self {
            Self::Customer(d) => check_customer(d),
            Self::ShiftOpen(d) => amount("the opening float", d.float, true),
            Self::CashMovement(d) => {
                amount("the amount", d.amount, false)?;
                text("the reason", &d.reason, 1, 200)
            }
            Self::Sale(d) => check_sale(d),
            Self::Return(d) => check_return(d),
            Self::ShiftClose(d) => check_close(d),
        }
    }
}

fn check_receipt(receipt: &str, prefix: &str) -> Result<(), String> {
    let sequence = super::sequence_of(receipt, prefix);
    if sequence.is_none() {
        return Err(format!("the receipt number {receipt:?} is not this register's ({prefix}-000001 onwards)"));
    }
    Ok(())
}

fn check_customer(d: &CustomerDoc) -> Result<(), String> {
    text("the customer's name", &d.name, 1, 120)?;
    if crate::base::phone::nigerian_mobile(&d.phone).is_none() {
        return Err(format!("the customer's number: {}", crate::base::phone::NOT_A_MOBILE));
    }
    if let Some(email) = &d.email {
        text("the customer's email", email, 0, 254)?;
        if !email.is_empty() && (!email.contains('@') || email.contains(char::is_whitespace)) {
            return Err("the customer's email is not an email address".to_owned());
        }
    }
    Ok(())
}

fn check_sale(d: &Sale) -> Result<(), String> {
    if d.lines.is_empty() || d.lines.len() > MOST_LINES {
        return Err(format!("a sale has from 1 to {MOST_LINES} lines"));
    }
    for (i, line) in d.lines.iter().enumerate() {
        text(&format!("line {}'s name", i + 1), &line.name, 1, 300)?;
        text(&format!("line {}'s SKU", i + 1), &line.sku, 0, 64)?;
        amount(&format!("line {}'s shelf price", i + 1), line.shelf_price, true)?;
        if line.needs_approval() && line.approved_by.is_none() {
            return Err(format!("line {} was sold at another price or with a discount, without a manager", i + 1));
        }
    }
    let totals = d.totals()?;
    if totals.total != d.total {
        return Err(format!("the sale's total {} does not match its lines, which come to {}", d.total, totals.total));
    }
    check_tenders(&d.tenders, d.total, "the sale")
}

fn check_return(d: &ReturnDoc) -> Result<(), String> {
    if d.lines.is_empty() || d.lines.len() > MOST_LINES {
        return Err(format!("a return has from 1 to {MOST_LINES} lines"));
    }
    for (i, line) in d.lines.iter().enumerate() {
        if !(1..=crate::orders::pricing::MOST_UNITS).contains(&line.quantity) || line.position < 0 {
            return Err(format!("line {} of the return is not a line and a quantity of the sale", i + 1));
        }
        if d.lines[..i].iter().any(|l| l.position == line.position) {
            return Err(format!("line {} of the return names a line of the sale twice", i + 1));
        }
    }
    text("the reason", &d.reason, 0, 200)?;
    amount("the return's total", d.total, true)?;
    if d.tenders.iter().any(|t| t.tendered.is_some()) {
        return Err("money given back has no change".to_owned());
    }
    check_tenders(&d.tenders, d.total, "the return")
}

fn check_close(d: &ShiftClose) -> Result<(), String> {
    if d.denominations.len() > 40 || d.counted.is_empty() {
        return Err("the close counts each tender, and at most 40 kinds of notes and coins".to_owned());
    }
    for (face, count) in &d.denominations {
        let value: Decimal = face.parse().map_err(|_| format!("{face:?} is not a note or coin's value"))?;
        if value <= Decimal::ZERO || !(0..=1_000_000).contains(count) {
            return Err(format!("{face} × {count} is not a count of notes or coins"));
        }
    }
    for (tender, counted) in &d.counted {
        amount(&format!("the {} counted", tender.label().to_lowercase()), *counted, true)?;
    }
    text("the note", &d.note, 0, 500)
}

fn check_tenders(tenders: &[TenderLine], total: Decimal, what: &str) -> Result<(), String> {
    if tenders.len() > 20 || (tenders.is_empty() && total > Decimal::ZERO) {
        return Err(format!("{what} is paid by 1 to 20 tenders"));
    }
    for tender in tenders {
        let label = tender.tender.label();
        amount(label, tender.amount, false)?;
        if tender.tendered.is_some() && tender.tender != Tender::Cash {
            return Err(format!("{label} gives no change; only cash does"));
        }
        if tender.tendered.is_some_and(|t| t < tender.amount || t > LARGEST_AMOUNT) {
            return Err("the cash handed over is less than the amount it pays".to_owned());
        }
        text(&format!("the {} reference", label.to_lowercase()), &tender.reference, 0, 80)?;
        if tender.tender.needs_reference() && tender.reference.trim().is_empty() {
            return Err(format!("{label} needs its reference (the slip's or the transfer's)"));
        }
    }
    let paid: Decimal = tenders.iter().map(|t| t.amount).sum();
    if paid != total {
        return Err(format!("{what}'s tenders come to {paid}, not its total {total}"));
    }
    Ok(())
}

fn amount(what: &str, value: Decimal, zero_allowed: bool) -> Result<(), String> {
    let low_ok = if zero_allowed { value >= Decimal::ZERO } else { value > Decimal::ZERO };
    if !low_ok || value > LARGEST_AMOUNT || value.scale() > 4 {
        let least = if zero_allowed { "0" } else { "more than 0" };
        return Err(format!("{what} is {least} and at most 1,000,000,000,000, to 4 decimal places"));
    }
    Ok(())
}

fn text(what: &str, value: &str, least: usize, most: usize) -> Result<(), String> {
    let length = value.trim().chars().count();
    if value.contains('\0') || length < least || value.chars().count() > most {
        return Err(if least > 0 {
            format!("{what} is from {least} to {most} characters, without NUL")
        } else {
            format!("{what} is at most {most} characters, without NUL")
        });
    }
    Ok(())
}
