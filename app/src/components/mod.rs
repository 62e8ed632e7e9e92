//! The visual pieces every surface shares: the workspace frame, cards, figures, empty states and
//! the pages for errors.

mod chart;
mod form;
mod gate;
mod live;
mod status;
mod table;
mod ui;
mod workspace;

pub use chart::{Bar, BarChart, ShareBar};
pub use form::{
    AddressFields, Field, FieldError, FormAlert, SubmissionKey, clear_after_success, failed, one_time_key, sent,
    successes, ticked, typed,
};
pub use gate::{Gate, Needs};
pub use live::follow_events;
pub use status::{ErrorPanel, NotFoundPage};
pub use table::{DataTable, SubNav};
pub use ui::{Badge, BadgeTone, EmptyState, Loading, LocalTime, PageHeader, StatTile, business_time};
pub use workspace::{NavLink, Workspace};

mod loaded;
pub use loaded::Loaded;
