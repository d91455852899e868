using System.Collections.Concurrent;
using System.Management.Automation;

namespace Climux.PowerShell.Jobs;

/// <summary>Registers Climux run jobs with PowerShell's job manager, so the *-Job cmdlets find them.</summary>
public sealed class ClimuxRunJobSourceAdapter : JobSourceAdapter
{
    private readonly ConcurrentDictionary<Guid, Job2> _jobs = new();

    public ClimuxRunJobSourceAdapter() => Name = nameof(ClimuxRunJobSourceAdapter);

    /// <summary>Adds a job made by Start-ClimuxRun (passed as the only parameter of the specification).</summary>
    public override Job2 NewJob(JobInvocationInfo specification)
    {
        var job = (Job2)specification.Parameters[0][0].Value;
        _jobs.TryAdd(job.InstanceId, job);
        return job;
    }

    public override IList<Job2> GetJobs() => _jobs.Values.ToList();

    public override IList<Job2> GetJobsByName(string name, bool recurse) =>
        _jobs.Values.Where(j => WildcardPattern.Get(name, WildcardOptions.IgnoreCase).IsMatch(j.Name)).ToList();

    public override IList<Job2> GetJobsByCommand(string command, bool recurse) =>
        _jobs.Values.Where(j => WildcardPattern.Get(command, WildcardOptions.IgnoreCase).IsMatch(j.Command)).ToList();

    public override Job2? GetJobByInstanceId(Guid instanceId, bool recurse) => _jobs.GetValueOrDefault(instanceId);

    public override Job2? GetJobBySessionId(int id, bool recurse) => _jobs.Values.FirstOrDefault(j => j.Id == id);

    public override IList<Job2> GetJobsByState(JobState state, bool recurse) =>
        _jobs.Values.Where(j => j.JobStateInfo.State == state).ToList();

    public override IList<Job2> GetJobsByFilter(Dictionary<string, object> filter, bool recurse) =>
        throw new PSNotSupportedException("Climux run jobs cannot be filtered this way; use Get-Job | Where-Object.");

    /// <summary>Remove-Job: a run that is still going on is stopped first (Remove-Job -Force).</summary>
    public override void RemoveJob(Job2 job)
    {
        if (_jobs.TryRemove(job.InstanceId, out var removed) &&
            removed.JobStateInfo.State is JobState.NotStarted or JobState.Running)
            removed.StopJob();
    }
}
