//! Input records: what provinces, ministries and communes already hold.

mod dossier;
mod petition;
mod procedure;
mod unit;

pub use dossier::{
    flag, Channel, Dossier, LogReader, PaymentGateway, ProcessLog, Status, Step, Wait,
};
pub use petition::Petition;
pub use procedure::{Level, OnlineLevel, Procedure, StatutoryTime, TimeUnit};
pub use unit::{Unit, UnitKind, UnitTree};
