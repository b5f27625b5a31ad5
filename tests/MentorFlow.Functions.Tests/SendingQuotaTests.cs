using MentorFlow.Functions.Email;
using MentorFlow.Functions.Store;

namespace MentorFlow.Functions.Tests;

public class SendingQuotaTests
{
    private static SendingLedgerDocument.Second At(long second, int count) => new(second, count);

    [Fact]
    public void Grants_what_both_windows_leave_and_records_it_in_the_current_second()
    {
        var (granted, ledger) = SendingQuota.Grant([At(1000, 3), At(1030, 1)], now: 1050, wanted: 10, perMinute: 5, perHour: 100);

        Assert.Equal(1, granted);
        Assert.Equal([At(1000, 3), At(1030, 1), At(1050, 1)], ledger);
    }

    [Fact]
    public void Registration_emails_use_at_most_their_share_of_each_window_and_leave_the_rest_to_the_pairs()
    {
        var (first, ledger) = SendingQuota.Grant([], now: 1000, wanted: 100, perMinute: 30, perHour: 100, registrationShare: 0.5);
        var (second, _) = SendingQuota.Grant(ledger, now: 1010, wanted: 100, perMinute: 30, perHour: 100, registrationShare: 0.5);
        var (pairs, _) = SendingQuota.Grant(ledger, now: 1010, wanted: 100, perMinute: 30, perHour: 100);
        var hourLater = Enumerable.Range(0, 4).Aggregate((Granted: 0, Ledger: ledger), (state, k) =>
        {
            var (granted, next) = SendingQuota.Grant(state.Ledger, now: 1100 + 100 * k, wanted: 100, perMinute: 30, perHour: 100, registrationShare: 0.5);
            return (state.Granted + granted, next);
        });

        Assert.Equal(15, first); // half the minute
        Assert.Equal(0, second); // the minute's share is spent; a pair's email still goes
        Assert.Equal(15, pairs);
        Assert.Equal(35, hourLater.Granted); // half the hour (50) over the next minutes, never more
    }

    [Fact]
    public void The_hour_window_binds_when_the_minute_has_room()
    {
        var (granted, _) = SendingQuota.Grant([At(100, 6), At(3000, 3)], now: 3650, wanted: 10, perMinute: 30, perHour: 10);

        Assert.Equal(1, granted);
    }

    [Fact]
    public void Sends_older_than_an_hour_are_forgotten_and_a_second_already_recorded_is_added_to()
    {
        var (granted, ledger) = SendingQuota.Grant([At(0, 10), At(3700, 2)], now: 3700, wanted: 4, perMinute: 5, perHour: 10);

        Assert.Equal(3, granted);
        Assert.Equal([At(3700, 5)], ledger);
    }

    [Fact]
    public void Nothing_is_granted_or_written_when_the_quota_is_used_up_and_far_future_seconds_do_not_block()
    {
        var full = SendingQuota.Grant([At(990, 5)], now: 1000, wanted: 3, perMinute: 5, perHour: 100);
        var skewed = SendingQuota.Grant([At(99_999, 5)], now: 1000, wanted: 3, perMinute: 5, perHour: 100);

        Assert.Equal(0, full.Granted);
        Assert.Equal(3, skewed.Granted);
        Assert.Equal([At(1000, 3)], skewed.Ledger);
    }
}
