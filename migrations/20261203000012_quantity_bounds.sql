-- Bounds on stock quantities. The application refuses what would pass them before it writes
-- (inventory::MAX_ON_HAND and MAX_UNITS, with a message naming the field); these checks are the
-- last wall, so that no path can store a number that later arithmetic would overflow.
--
-- A level holds at most 1,000,000,000 units and falls at most as far below zero (a till that
-- sold offline). Twice that still fits a 32-bit integer, so on-hand plus any one movement can
-- always be computed, and a level past the bound is refused rather than wrapped round.
ALTER TABLE stock_levels
    ADD CONSTRAINT stock_levels_bounded CHECK (
        on_hand BETWEEN -1000000000 AND 1000000000
        AND reserved <= 1000000000
        AND reorder_point <= 1000000000
        AND reorder_quantity <= 1000000000);

ALTER TABLE stock_movements
    ADD CONSTRAINT stock_movements_bounded CHECK (
        quantity BETWEEN -1000000000 AND 1000000000
        AND on_hand_after BETWEEN -1000000000 AND 1000000000);

ALTER TABLE stock_reservations
    ADD CONSTRAINT stock_reservations_bounded CHECK (quantity <= 1000000000);

ALTER TABLE stock_receipt_lines
    ADD CONSTRAINT stock_receipt_lines_bounded CHECK (quantity <= 1000000000);

ALTER TABLE stock_transfer_lines
    ADD CONSTRAINT stock_transfer_lines_bounded CHECK (quantity <= 1000000000 AND received <= 1000000000);

ALTER TABLE stock_count_lines
    ADD CONSTRAINT stock_count_lines_bounded CHECK (
        expected BETWEEN -1000000000 AND 1000000000
        AND counted <= 1000000000);
