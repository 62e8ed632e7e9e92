//! Cells of the CSV files the suite hands out, made safe to open in a spreadsheet.

/// A cell a spreadsheet would run as a formula ("=", "+", "@" first, or "-" before anything but
/// a number) gets a leading apostrophe, so that a file handed out cannot carry a formula typed by
/// someone else (a shopper's name, a note) into the reader's spreadsheet.
pub fn safe_cell(cell: &str) -> String {
    let risky =
        cell.starts_with(['=', '+', '@', '\t', '\r']) || (cell.starts_with('-') && cell.parse::<f64>().is_err());
    if risky { format!("'{cell}") } else { cell.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::safe_cell;

    #[test]
    fn formulas_are_kept_as_text_and_numbers_as_numbers() {
        assert_eq!(safe_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_cell("+2348031234567"), "'+2348031234567");
        assert_eq!(safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_cell("-cmd"), "'-cmd");
        assert_eq!(safe_cell("-1500.00"), "-1500.00");
        assert_eq!(safe_cell("Ada Obi"), "Ada Obi");
    }
}
