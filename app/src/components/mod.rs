//! The visual pieces every surface shares: the workspace frame, cards, figures, empty states and
//! the pages for errors.

mod form;
mod gate;
mod status;
mod ui;
mod workspace;

pub use form::{Field, FormAlert};
pub use gate::{Gate, Needs};
pub use status::{ErrorPanel, NotFoundPage};
pub use ui::{Badge, BadgeTone, EmptyState, Loading, PageHeader, StatTile};
pub use workspace::{NavLink, Workspace};

mod loaded;
pub use loaded::Loaded;
